/**
 * What Auth.js reports, as one readable line, or nothing. The production build minifies class names (a
 * failed sign-in arrived as `[auth] q: … Read more at https://errors.authjs.dev#…` with a stack), so the
 * kind comes from Auth.js's stable `type`; its "Read more" link and any stack are dropped.
 */
export function authLogLine(error: Error): string | undefined {
  const type = "type" in error && typeof error.type === "string" ? error.type : error.name;
  // A wrong password or a rate-limited sign-in is an expected outcome (audited), not a server error.
  if (type === "CredentialsSignin") return undefined;
  const message = error.message
    .replace(/\.? ?Read more at https:\/\/errors\.authjs\.dev\S*/, "")
    .replace(/\s+/g, " ")
    .trim();
  return `[auth] ${type}${message ? `: ${message}` : ""}`;
}
