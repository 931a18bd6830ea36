import { spawn } from "node:child_process";
import { runMigrations } from "./migrate";
import { getEnv } from "@/lib/config/env";

/** `npm run dev`: migrate, then the Next.js dev server. */
await runMigrations();
const child = spawn("npx", ["next", "dev", "-p", String(getEnv().port)], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
child.on("exit", (code) => process.exit(code ?? 0));
