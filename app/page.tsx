import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { getSessionActor, getTeamContext } from "@/lib/auth/session";
import { needsSetup } from "@/lib/auth/setup";
import { HOME_PATH } from "@/components/shell/nav";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (await needsSetup(await getDb())) redirect("/setup");
  if (!(await getSessionActor())) redirect("/sign-in");
  redirect((await getTeamContext()) ? HOME_PATH : "/teams/new");
}
