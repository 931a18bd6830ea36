import { closeDb, getDb } from "@/db/client";
import { cliErrorMessage, parseExportArgs, runTeamExport } from "@/lib/bundle/cli";
import { bundlePassphrase } from "./bundle-passphrase";

/** `npm run team:export -- …`: see lib/bundle/cli.ts and the README's "Export and import". */
try {
  const args = parseExportArgs(process.argv.slice(2));
  console.log(await runTeamExport(await getDb(), args, () => bundlePassphrase(true)));
} catch (error) {
  console.error(`[plugboard] team:export failed: ${cliErrorMessage(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
