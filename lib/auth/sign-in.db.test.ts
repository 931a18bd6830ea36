import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { hashPassword } from "./password";
import { authenticate, SIGN_IN_LIMITS } from "./sign-in";

describe("authenticate", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const db = await getDb();
    const email = `${randomUUID()}@example.test`;
    await db.insert(users).values({ name: "A", email, passwordHash: await hashPassword("right-password-1") });
    expect(await authenticate(db, { email: email.toUpperCase(), password: "right-password-1", ip: "10.1.1.1" })).toMatchObject({ ok: true });
    expect(await authenticate(db, { email, password: "nope", ip: "10.1.1.1" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows down an account after repeated failures, even with the right password", async () => {
    const db = await getDb();
    const email = `${randomUUID()}@example.test`;
    await db.insert(users).values({ name: "B", email, passwordHash: await hashPassword("right-password-2") });
    for (let i = 0; i < SIGN_IN_LIMITS.account.limit; i++) {
      expect(await authenticate(db, { email, password: `wrong-${i}`, ip: `10.2.0.${i}` })).toMatchObject({ reason: "invalid" });
    }
    const limited = await authenticate(db, { email, password: "right-password-2", ip: "10.2.1.1" });
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("slows down one address trying many accounts", async () => {
    const db = await getDb();
    const ip = `10.3.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < SIGN_IN_LIMITS.ip.limit; i++) {
      await authenticate(db, { email: `${randomUUID()}@example.test`, password: "x", ip });
    }
    expect(await authenticate(db, { email: `${randomUUID()}@example.test`, password: "x", ip })).toMatchObject({ reason: "rate_limited" });
  });
});
