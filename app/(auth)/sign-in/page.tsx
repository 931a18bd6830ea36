import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { getSessionActor } from "@/lib/auth/session";
import { needsSetup } from "@/lib/auth/setup";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await needsSetup(await getDb())) redirect("/setup");
  const { callbackUrl } = await searchParams;
  if (await getSessionActor()) redirect(callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/");
  return (
    <Card>
      <h1 className="mb-6 text-xl font-semibold">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-xs text-zinc-500">New here? Ask a team admin for an invitation link.</p>
    </Card>
  );
}
