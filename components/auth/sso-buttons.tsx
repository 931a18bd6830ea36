/**
 * One link per configured OpenID Connect provider (app/api/sso/[provider]): works without JavaScript and
 * adds nothing to the sign-in page's bundle.
 */
export function SsoButtons({ buttons, callbackUrl }: { buttons: Array<{ authId: string; label: string }>; callbackUrl?: string }) {
  if (buttons.length === 0) return null;
  const query = callbackUrl ? `?${new URLSearchParams({ callbackUrl })}` : "";
  return (
    <div className="mb-6 space-y-2">
      {buttons.map((b) => (
        <a key={b.authId} href={`/api/sso/${b.authId}${query}`} className="btn btn-md btn-secondary w-full" data-sso-provider={b.authId}>
          {b.label}
        </a>
      ))}
      <p className="pt-2 text-center text-xs text-zinc-500">or with your email and password</p>
    </div>
  );
}
