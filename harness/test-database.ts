// Tests get their own database, created per run and dropped afterwards, on the server named by
// DATABASE_URL (CI: the local PostgreSQL) or else on a throwaway embedded server in a temporary
// folder on a free port, so a test run never touches (or stops) the demo's server.
import { randomBytes } from "node:crypto";
import { mkdtempSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { migrateDeploy } from "../lib/db/migrate";
import { assertDatabaseReachable } from "../lib/db/reachability";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  // The embedded server's test databases belong to its app role and tests connect as that role, as the
  // app does; on DATABASE_URL's server the URL's own role is used for both, as before.
  let appServerUrl = serverUrl;
  let owner: string | null = null;
  let stopEmbedded: () => Promise<void> = () => Promise.resolve();
  if (!serverUrl) {
    const dataDir = join(mkdtempSync(join(tmpdir(), "focus-test-pg-")), "pg");
    chmodSync(join(dataDir, ".."), 0o755);
    const port = await freePort();
    const handle = await startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: false });
    stopEmbedded = () => handle.stop();
    serverUrl = handle.adminUrl;
    appServerUrl = handle.url;
    owner = handle.appRole;
  }
  await assertDatabaseReachable(serverUrl);
  const name = `focus_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  await admin.query(`create database "${name}"${owner ? ` owner ${admin.escapeIdentifier(owner)}` : ""}`);
  await admin.end();
  const url = withDatabase(appServerUrl!, name);
  await migrateDeploy(url, { quiet: true });
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
      await stopEmbedded();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}
