import { existsSync, readdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { startPrivatePostgres } from "./private-postgres";
import { dumpAllRows } from "./test-database";

const ourFolders = () => new Set(readdirSync(os.tmpdir()).filter((f) => f.startsWith("plugboard-pg-")));
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("startPrivatePostgres", () => {
  it("serves the requested databases on loopback, then stops and deletes its folder", async () => {
    const before = ourFolders();
    const pg = await startPrivatePostgres(["plugboard_probe_a", "plugboard_probe_b"]);
    const created = [...ourFolders()].filter((f) => !before.has(f));
    expect(created).toHaveLength(1);
    try {
      const url = new URL(pg.urlFor("plugboard_probe_b"));
      expect(url.hostname).toBe("127.0.0.1");
      const client = new Client({ connectionString: url.href });
      await client.connect();
      const { rows } = await client.query<{ db: string; fsync: string }>("select current_database() as db, current_setting('fsync') as fsync");
      expect(rows[0]).toEqual({ db: "plugboard_probe_b", fsync: "off" });
      // dumpAllRows (the e2e "no secret in the database" check) sees values unescaped, in any schema.
      await client.query(`create schema jobs; create table jobs.t (id int, note text, blob jsonb)`);
      await client.query(`insert into jobs.t values (1, $1, $2)`, ['s3cr"et\\x', JSON.stringify({ k: "in-json" })]);
      const dump = await dumpAllRows(url.href);
      expect(dump).toContain('s3cr"et\\x');
      expect(dump).toContain("in-json");
      await client.end();
      // A wrong password is refused: the server is not open to every local process.
      url.password = "wrong";
      await expect(new Client({ connectionString: url.href }).connect()).rejects.toThrow(/password/);
    } finally {
      await pg.stop();
    }
    expect(await listening(pg.port)).toBe(false);
    expect(existsSync(`${os.tmpdir()}/${created[0]}`)).toBe(false);
  }, 90_000);
});
