import { passwordSignInForm } from "@/lib/auth/password-sign-in-form";

export const dynamic = "force-dynamic";

/** The sign-in page's form (pages/sign-in.tsx), posted without JavaScript. */
export function POST(request: Request): Promise<Response> {
  return passwordSignInForm(request);
}
