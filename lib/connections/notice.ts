import { z } from "zod";

/**
 * The OAuth callback's outcome travels to the Connections tab in a short-lived, HttpOnly cookie rather than
 * the URL, so nobody can link to a page showing a message of their choosing. Each outcome has a cookie of
 * its own (the prefix plus a random id): the tab's "dismiss" after showing one can then only delete that
 * one, never a newer outcome a callback set while the dismissal was on its way.
 */
export const CONNECTION_NOTICE_PREFIX = "pb_connection_notice_";

export type ConnectionNotice = { ok: boolean; message: string; at: number; cookie: string };

export function newNoticeCookie(): string {
  return `${CONNECTION_NOTICE_PREFIX}${crypto.randomUUID()}`;
}

/** The names a dismissal may delete: notice cookies only. */
export const noticeCookieNameSchema = z.string().regex(/^pb_connection_notice_[0-9a-f-]{36}$/, "Not a notice.");

/** The newest outcome among the request's notice cookies. */
export function pickNotice(cookies: { name: string; value: string }[]): ConnectionNotice | null {
  let newest: ConnectionNotice | null = null;
  for (const { name, value } of cookies) {
    if (!noticeCookieNameSchema.safeParse(name).success) continue;
    const notice = parseNotice(name, value);
    if (notice && (!newest || notice.at > newest.at)) newest = notice;
  }
  return newest;
}

function parseNotice(cookie: string, value: string): ConnectionNotice | null {
  try {
    const parsed = JSON.parse(value) as Partial<ConnectionNotice>;
    if (typeof parsed.message !== "string") return null;
    return { ok: parsed.ok === true, message: parsed.message.slice(0, 500), at: typeof parsed.at === "number" ? parsed.at : 0, cookie };
  } catch {
    return null;
  }
}

export const dismissNoticeSchema = z.object({ cookie: noticeCookieNameSchema });
