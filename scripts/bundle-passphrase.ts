import { CliUsageError, PASSPHRASE_ENV } from "@/lib/bundle/cli";

/**
 * The bundle passphrase for the team:export / team:import commands: PLUGBOARD_BUNDLE_PASSPHRASE, or typed
 * at a terminal without echo (twice when exporting). Never an argument: those show in `ps` and history.
 */
export async function bundlePassphrase(confirm: boolean): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new CliUsageError(`Set ${PASSPHRASE_ENV} or run in a terminal to type the passphrase.`);
  const first = await readHidden("Bundle passphrase: ");
  if (confirm && (await readHidden("Again: ")) !== first) throw new CliUsageError("The two passphrases differ.");
  return first;
}

function readHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  let typed = "";
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stdout.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new CliUsageError("Cancelled."));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}
