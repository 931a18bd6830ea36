import { closeDb, getDb } from "@/db/client";
import { cliErrorMessage, parseImportArgs, runTeamImport } from "@/lib/bundle/cli";
import { bundlePassphrase } from "./bundle-passphrase";

/** `npm run team:import -- …`: see lib/bundle/cli.ts and the README's "Export and import". */
try {
  const args = parseImportArgs(process.argv.slice(2));
  console.log(await runTeamImport(await getDb(), args, () => bundlePassphrase(false)));
} catch (error) {
  console.error(`[plugboard] team:import failed: ${cliErrorMessage(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
