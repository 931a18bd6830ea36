/** An SSO sign-in that Auth.js could not complete (a wrong state or nonce or issuer, a provider that answered an error). */
export const SSO_FAILED = "Single sign-on did not complete. Try again, or ask your admin.";

/** Why an SSO sign-in was refused, as the sign-in page says it (the code travels in ?sso_error=). */
export const SSO_REFUSALS = {
  email_missing: "Your identity provider did not send an email address. Ask your admin to release the email claim.",
  email_unverified: "Your email address is not verified at your identity provider. Verify it there, then try again.",
  domain_not_allowed: "Your email domain is not allowed to sign in with this provider. Ask your admin.",
  no_team: "Your account at the identity provider gives access to no Plugboard team. Ask your admin.",
  link_required: "A Plugboard account with this email already exists. Sign in with its password once below to link your single sign-on to it.",
  id_token_invalid: "The identity provider's answer could not be verified. Try again, or ask your admin.",
  password_sign_in_off: "Password sign-in is turned off. Use single sign-on.",
  // Auth.js's own refusal (lib/sso/callback-audit.ts), audited under this code; the page shows it from ?error=.
  callback_failed: SSO_FAILED,
} as const;

export type SsoRefusal = keyof typeof SSO_REFUSALS;

export function isSsoRefusal(code: string | undefined): code is SsoRefusal {
  return !!code && Object.hasOwn(SSO_REFUSALS, code);
}
