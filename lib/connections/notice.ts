/**
 * The OAuth callback's outcome travels to the Connections tab in a short-lived, HttpOnly cookie rather than
 * the URL, so nobody can link to a page showing a message of their choosing.
 */
export const CONNECTION_NOTICE_COOKIE = "pb_connection_notice";

export type ConnectionNotice = { ok: boolean; message: string };

export function parseNotice(value: string | undefined): ConnectionNotice | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Partial<ConnectionNotice>;
    return typeof parsed.message === "string" ? { ok: parsed.ok === true, message: parsed.message.slice(0, 500) } : null;
  } catch {
    return null;
  }
}
