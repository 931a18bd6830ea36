import "server-only";
import { createHmac } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/config/env";

/**
 * What the consent form carries between the page and the decision: the checked authorization request,
 * signed and bound to the signed-in user. It is the form's CSRF token too: another site cannot read it.
 */
export type ConsentTicket = {
  userId: string;
  clientRowId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  scopes: string[];
  /** RFC 8707 resource the grant will be bound to; null for the REST API. */
  resource: string | null;
  state: string | null;
  codeChallenge: string;
  /** RFC 7591: the client_id of a pending registration, and the team approving it registers it in. */
  registration?: { clientId: string; teamId: string } | null;
};

const AUDIENCE = "plugboard:oauth-consent";
const key = () => createHmac("sha256", getEnv().authSecret).update("plugboard oauth consent ticket v1").digest();

export async function signConsentTicket(ticket: ConsentTicket): Promise<string> {
  return new SignJWT({
    cid: ticket.clientRowId,
    ru: ticket.redirectUri,
    rus: ticket.redirectUriSent,
    sc: ticket.scopes,
    rs: ticket.resource,
    st: ticket.state,
    cc: ticket.codeChallenge,
    rg: ticket.registration ?? null,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(ticket.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key());
}

export async function verifyConsentTicket(token: string): Promise<ConsentTicket | null> {
  try {
    const { payload } = await jwtVerify(token, key(), { audience: AUDIENCE, algorithms: ["HS256"] });
    return {
      userId: String(payload.sub),
      clientRowId: String(payload.cid),
      redirectUri: String(payload.ru),
      redirectUriSent: payload.rus === true,
      scopes: (payload.sc as string[]) ?? [],
      resource: typeof payload.rs === "string" ? payload.rs : null,
      state: typeof payload.st === "string" ? payload.st : null,
      codeChallenge: String(payload.cc),
      registration: isRegistration(payload.rg) ? payload.rg : null,
    };
  } catch {
    return null;
  }
}

function isRegistration(value: unknown): value is { clientId: string; teamId: string } {
  const v = value as { clientId?: unknown; teamId?: unknown } | null;
  return typeof v?.clientId === "string" && typeof v.teamId === "string";
}
