import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { needsSetup } from "@/lib/auth/setup";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await needsSetup(await getDb()))) redirect("/sign-in");
  return (
    <Card>
      <h1 className="text-xl font-semibold">Welcome to Plugboard</h1>
      <p className="mb-6 mt-1 text-sm text-zinc-600">Create the first admin account and your team. Others join by invitation.</p>
      <SetupForm />
    </Card>
  );
}
