import "server-only";
import { AuthError, CredentialsSignin } from "next-auth";
import { ServiceError } from "@/lib/errors/service-error";
import { SSO_REFUSALS } from "@/lib/sso/refusals";
import { signIn } from "./next-auth";

/** Starts a session with an email and password; a refusal is a ServiceError that the form shows. */
export async function startPasswordSession(email: string, password: string): Promise<void> {
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code.startsWith("rate_limited")) {
      const minutes = Math.max(1, Math.ceil(Number(error.code.split(":")[1] ?? 60) / 60));
      throw new ServiceError(`Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, "rate_limited");
    }
    if (error instanceof CredentialsSignin && error.code === "password_sign_in_off")
      throw new ServiceError(SSO_REFUSALS.password_sign_in_off, "forbidden");
    if (error instanceof AuthError) throw new ServiceError("Wrong email or password.", "unauthenticated");
    throw error;
  }
}
