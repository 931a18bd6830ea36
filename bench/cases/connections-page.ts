/**
 * The Connections page at scale: `GET /connections` (signed in, production build) for a team with 1,000
 * connections against the same page for an empty team, alternating request by request inside each round.
 * Run alone: `npx tsx bench/cases/connections-page.ts`.
 *   BENCH_PAGES_DATABASE_URL (default local plugboard_bench_pages; it is emptied: local only), BENCH_PAGES_PORT (3193),
 *   BENCH_PAGES_SAMPLES (page loads per team per round, 15).
 * Server time is the time to the whole HTML on loopback (the page streams; the last byte is when it is usable).
 * Figures also show the 10,000-connection team's page, and the request builder (its history from 100,000
 * runs) and the flows list (1,000 flows) of that team, one load each per round.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { createDatabaseIfMissing } from "@/e2e/support/test-database";
import type { BenchCase, BenchRoundResult } from "../support/bench-case";
import { startAppServer } from "../support/app-process";
import { runCaseIfMain } from "../support/run-cases";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const connectionsPage: BenchCase = {
  id: "connections-page",
  ratio: "GET /connections, 1,000 connections / empty team, server time",
  better: "lower",
  goal: 1.5,
  async start() {
    const url = process.env.BENCH_PAGES_DATABASE_URL ?? "postgres://plugboard:plugboard@127.0.0.1:5432/plugboard_bench_pages";
    const port = Number(process.env.BENCH_PAGES_PORT ?? 3193);
    const samples = Math.max(3, Math.min(100, Number(process.env.BENCH_PAGES_SAMPLES ?? 15)));
    const authSecret = "bench-auth-secret-that-is-long-enough-0123456789";
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: authSecret,
      PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      PLUGBOARD_ALLOWED_HOSTS: "127.0.0.1",
      PLUGBOARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PLUGBOARD_WORKERS: "off",
      PLUGBOARD_JOBS_SCHEMA: "pgboss_bench_pages",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      PORT: String(port),
    };
    await createDatabaseIfMissing(url);
    const seed = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "bench/support/connections-page-seed.ts"], {
      cwd: root,
      env: appEnv,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (seed.status !== 0) throw new Error("seeding the bench database failed");
    const seeded = JSON.parse(seed.stdout.trim().split("\n").pop() ?? "") as { userId: string; empty: string; thousand: string; tenThousand: string };

    const server = await startAppServer(appEnv, port);
    const { base } = server;
    const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    try {
      // A session cookie made by next-auth's own encoder (what its sign-in sets over http: this name is also the salt).
      const { encode } = await import("next-auth/jwt");
      const cookieName = "authjs.session-token";
      const session = await encode({ token: { sub: seeded.userId }, secret: authSecret, salt: cookieName, maxAge: 3600 });
      const rows = (html: string) => html.split('data-testid="connection-').length - 1;
      const load = async (team: string, pathname: string, mustContain: string, check: (html: string) => boolean = () => true) => {
        const started = performance.now();
        const res = await request(`${base}${pathname}`, { dispatcher: agent, headers: { cookie: `${cookieName}=${session}; pb_team=${team}` } });
        const html = await res.body.text();
        const ms = performance.now() - started;
        if (res.statusCode !== 200 || !html.includes(mustContain) || !check(html))
          throw new Error(`${pathname}: HTTP ${res.statusCode}, without "${mustContain}"`);
        return { ms, kb: Buffer.byteLength(html) / 1024 };
      };
      const emptyPage = () => load(seeded.empty, "/connections", "No connections yet");
      // A page of 50 rows (React separates the range's numbers with comments, so the total is checked alone).
      const thousandPage = () => load(seeded.thousand, "/connections", "1,000", (html) => rows(html) === 50);
      const tenThousandPage = () => load(seeded.tenThousand, "/connections", "10,000", (html) => rows(html) === 50);
      // Warm up: the first loads compile nothing in production but fill caches and the pool.
      for (let i = 0; i < 3; i++) for (const page of [emptyPage, thousandPage, tenThousandPage]) await page();
      return {
        async round(): Promise<BenchRoundResult> {
          const empty: number[] = [];
          const thousand: number[] = [];
          let thousandKb = 0;
          for (let i = 0; i < samples; i++) {
            empty.push((await emptyPage()).ms);
            const t = await thousandPage();
            thousand.push(t.ms);
            thousandKb = t.kb;
          }
          const ten = await tenThousandPage();
          const builder = await load(seeded.tenThousand, "/requests", "Request");
          const flowsList = await load(seeded.tenThousand, "/flows", "flow 1");
          return {
            ratio: median(thousand) / median(empty),
            figures: {
              "empty ms": round1(median(empty)),
              "1,000 ms": round1(median(thousand)),
              "10,000 ms": round1(ten.ms),
              "1,000 HTML KB": round1(thousandKb),
              "10,000 HTML KB": round1(ten.kb),
              "/requests at 100,000 runs ms": round1(builder.ms),
              "/flows at 1,000 flows ms": round1(flowsList.ms),
            },
          };
        },
        async stop() {
          await agent.close();
          await server.stop();
        },
      };
    } catch (err) {
      await agent.close();
      await server.stop();
      throw err;
    }
  },
};

export default connectionsPage;

const round1 = (n: number) => Math.round(n * 10) / 10;

await runCaseIfMain(import.meta.url, connectionsPage);
