/**
 * Downloads: a large binary response a run saved to the data folder, downloaded through the app's route
 * (`GET /requests/runs/<id>/download`, signed in, team checked) vs reading the same file from disk in this
 * process. The file is made by a real run (responseType binary, 256 MiB from the loopback peer), so it sits
 * where the app keeps downloads, and downloaded with curl. Each round alternates disk, app, bare node, bare node, app, disk; the ratio is
 * HTTP MB/s over disk MB/s (the faster of 64 KiB and 1 MiB reads). All read a file the page cache holds after
 * the first pass, so the ratio is what serving adds (route, team check, streaming, loopback TCP), not the disk.
 * "Bare node": the same file served by plain node:http (bench-server.mjs piping an fs stream, its own process),
 * the most a Node server reaches here over loopback; "HTTP / bare node:http" is the app against that ceiling.
 * Server CPU per download from /proc.
 *   npx tsx bench/cases/downloads.ts     (BENCH_DOWNLOAD_MIB=256)
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { requireTool } from "@/e2e/support/system-tools";
import type { BenchCase } from "../support/bench-case";
import { runCaseIfMain } from "../support/run-cases";

const PORT = Number(process.env.BENCH_PORT_DOWNLOADS ?? 3195);
const MIB = 1024 * 1024;
const execFileAsync = promisify(execFile);

const downloads: BenchCase = {
  id: "downloads",
  ratio: "download of a saved 256 MiB body over HTTP / reading the file from disk, MiB/s",
  better: "higher",
  goal: 0.8,
  async start() {
    const sizeMiB = Math.min(2048, Number(process.env.BENCH_DOWNLOAD_MIB ?? 256));
    const { benchAppEnv, freshBenchDatabase, startAppServer, startPeer } = await import("../support/app-process");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "plugboard-bench-downloads-"));
    const env = { ...benchAppEnv("downloads", { port: PORT, dataDir }), PLUGBOARD_WORKERS: "off" };
    Object.assign(process.env, env);
    await freshBenchDatabase(env.DATABASE_URL, env.PLUGBOARD_JOBS_SCHEMA);

    const { migrateDatabase } = await import("@/db/migrate");
    const { getDb, closeDb } = await import("@/db/client");
    const { makeTeamContext } = await import("@/lib/testing/factories");
    const { runRequest, findRunDownload, downloadsDir } = await import("@/lib/requests");
    const { requestSpecSchema } = await import("@/lib/http/spec");
    const { getEnv } = await import("@/lib/config/env");
    const { encode } = await import("next-auth/jwt");
    await migrateDatabase();
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const peer = await startPeer();
    const stops: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true }), peer.stop, closeDb];
    const stop = async () => {
      for (const s of stops.reverse()) await s().catch(() => {});
    };
    try {
      const spec = requestSpecSchema.parse({ url: `${peer.base}/bytes?n=${sizeMiB * MIB}`, responseType: "binary", timeoutSeconds: 300 });
      const view = await runRequest(db, ctx, { spec, connection: null });
      if (!view.ok || view.body.type !== "file") throw new Error(`the run did not save a file: ${view.ok ? view.body.type : view.message}`);
      const saved = await findRunDownload(db, ctx, view.runId, { dir: downloadsDir(), limits: getEnv().retention });
      if (saved.kind !== "file" || saved.size !== sizeMiB * MIB) throw new Error(`the saved file is not there: ${saved.kind}`);

      const server = await startAppServer(env, PORT);
      stops.push(server.stop);
      // An Auth.js session cookie for the run's user, as sign-in would set it (JWT sessions, salted with the cookie name).
      const cookieName = "authjs.session-token";
      const session = await encode({ token: { sub: ctx.actor.id }, secret: env.AUTH_SECRET, salt: cookieName });
      const url = `${server.base}/requests/runs/${view.runId}/download`;

      // The baseline is the faster of Node's default 64 KiB reads and the route's 1 MiB reads, so the route's
      // chunk size cannot flatter the ratio.
      const readOnce = async (highWaterMark: number) => {
        const started = performance.now();
        let bytes = 0;
        for await (const chunk of createReadStream(saved.path, { highWaterMark })) bytes += (chunk as Buffer).length;
        return { seconds: (performance.now() - started) / 1000, bytes };
      };
      const fromDisk = async () => {
        const [a, b] = [await readOnce(64 * 1024), await readOnce(MIB)];
        return a.seconds < b.seconds ? a : b;
      };
      // curl, a client as fast as the loopback allows: node:http's own client read at most about 1,100 MiB/s here,
      // against 1,500-2,400 MiB/s for curl from the same servers, so it measured itself more than the server.
      const curl = requireTool("curl");
      const download = async (from: string, headers: Record<string, string>) => {
        const headerArgs = Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
        // Headers to stdout (-D -), the body discarded, then status, size and curl's own transfer time.
        const { stdout } = await execFileAsync(
          curl,
          ["-s", "-o", "/dev/null", "-D", "-", "-w", "\n%{http_code} %{size_download} %{time_total}", ...headerArgs, from],
          {
            timeout: 300_000,
          },
        );
        const [status, size, seconds] = stdout.trim().split("\n").at(-1)!.split(" ").map(Number);
        if (status !== 200) throw new Error(`download from ${from}: HTTP ${status}`);
        if (/^content-encoding:/im.test(stdout)) throw new Error(`download from ${from}: sent with a Content-Encoding`);
        if (size !== saved.size) throw new Error(`download from ${from}: ${size} of ${saved.size} bytes`);
        return { seconds, bytes: size };
      };
      const overHttp = async () => {
        const cpuBefore = server.cpuMs();
        const result = await download(url, { cookie: `${cookieName}=${session}` });
        return { ...result, cpuMs: server.cpuMs() - cpuBefore };
      };
      // The ceiling of any Node server here: plain node:http piping the same file (fs stream) in its own process.
      const bareNode = await startPeer({ file: saved.path });
      stops.push(bareNode.stop);
      const overBareNode = () => download(`${bareNode.base}/file`, {});
      // The team check is part of the measured path: without the session the route must refuse.
      const anonymous = await fetch(url);
      await anonymous.arrayBuffer();
      if (anonymous.status !== 401) throw new Error(`download without a session answered ${anonymous.status}, not 401`);
      // A resumed download: one byte range, with its Content-Range.
      const part = await fetch(url, { headers: { cookie: `${cookieName}=${session}`, range: "bytes=1000-1099" } });
      const partBytes = (await part.arrayBuffer()).byteLength;
      if (part.status !== 206 || partBytes !== 100 || part.headers.get("content-range") !== `bytes 1000-1099/${saved.size}`)
        throw new Error(`range download: HTTP ${part.status}, ${partBytes} bytes, Content-Range ${part.headers.get("content-range")}`);
      await fromDisk();
      await overHttp(); // warm-up: route compiled in, page cache filled
      await overBareNode();

      return {
        async round() {
          const disk = [await fromDisk()];
          const http = [await overHttp()];
          const bare = [await overBareNode(), await overBareNode()];
          http.push(await overHttp());
          disk.push(await fromDisk());
          const mbps = (runs: Array<{ seconds: number; bytes: number }>) =>
            runs.reduce((n, r) => n + r.bytes, 0) / MIB / runs.reduce((n, r) => n + r.seconds, 0);
          const httpMBps = mbps(http);
          const diskMBps = mbps(disk);
          const bareMBps = mbps(bare);
          return {
            ratio: httpMBps / diskMBps,
            figures: {
              "HTTP MiB/s": httpMBps,
              "disk MiB/s": diskMBps,
              "bare node:http MiB/s": bareMBps,
              "bare node:http / disk": bareMBps / diskMBps,
              "HTTP / bare node:http": httpMBps / bareMBps,
              "server CPU ms/GiB": (http.reduce((n, r) => n + r.cpuMs, 0) / http.reduce((n, r) => n + r.bytes, 0)) * 1024 * MIB,
            },
          };
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};

export default downloads;
await runCaseIfMain(import.meta.url, downloads);
