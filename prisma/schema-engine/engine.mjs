#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot download it
// (air-gapped sites, CI without binaries.prisma.sh). The Prisma CLI runs whatever executable
// PRISMA_SCHEMA_ENGINE_BINARY names and talks to it in two ways, both reproduced here:
//
//   schema-engine --datamodels <file> [...] --datasource '{"url": ...}'
//       JSON-RPC 2.0 over stdin/stdout, one JSON object per line; logs are JSON lines on stderr.
//   schema-engine --datasource '{"url": ...}' cli can-connect-to-database|create-database|drop-database
//       one-shot commands; on failure the CLI skips the first stderr line and parses the rest as
//       JSON log lines, looking for an ERROR line with fields.error_code (P1003 = no such database).
//
// The RPC methods run in @prisma/schema-engine-wasm (the same Rust engine compiled to wasm) on a
// @prisma/adapter-pg connection. The wrapper below works around four upstream adapter bugs:
//   1. the pg adapter has no column type for Postgres `"char"` (OID 18) and, in some releases,
//      `name` (OID 19), which the engine's catalog queries return  -> read both as text;
//   2. its shadow-database pool spreads `connectionString` over the new database name, so the
//      shadow pool connects to the main database               -> pass host/port/user/... fields;
//   3. it drops the shadow database before closing that pool, so DROP DATABASE fails (in use)
//                                                              -> close the pool first;
//   4. executeScript splits on every `;`, which breaks `$$` function bodies
//                                                              -> send the whole script as one
//      simple-protocol query, exactly as the native engine does (Postgres parses it, and a
//      multi-statement script runs as one implicit transaction there too).
// Everything but the JSON-RPC replies goes to stderr: stdout belongs to the protocol.

import { readFileSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
// pg-connection-string is pg's own URL parser; resolve it through pg so hoisting does not matter.
const { parse: parsePgUrl } = createRequire(require.resolve("pg"))("pg-connection-string");

const WASM_PACKAGE = "@prisma/schema-engine-wasm";
const RPC_ERROR_CODE = 4466; // the native engine's code for "engine error, see data"

// ---------------------------------------------------------------------------------------------
// Logging in the native engine's tracing format (the CLI reads `fields.message` and `level`).

function logLine(level, message, extraFields = {}, target = "schema_engine_shim") {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...extraFields }, target };
  process.stderr.write(JSON.stringify(line) + "\n");
}

// ---------------------------------------------------------------------------------------------
// Command line.

function parseArgs(argv) {
  const args = { datamodels: [], datasource: null, cliCommand: null, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === "--datamodels" || a === "-d") args.datamodels.push(value());
    else if (a.startsWith("--datamodels=")) args.datamodels.push(a.slice("--datamodels=".length));
    else if (a === "--datasource") args.datasource = JSON.parse(value());
    else if (a.startsWith("--datasource=")) args.datasource = JSON.parse(a.slice("--datasource=".length));
    else if (a === "--enabled-preview-features" || a === "--extension-types")
      value(); // no effect in wasm
    else if (a === "--version" || a === "-V") args.version = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "cli") args.cliCommand = argv[++i] ?? "";
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Connection settings. Prisma URLs carry options pg does not know (schema, connection_limit, ...);
// they are taken out, and every pool gets discrete fields rather than a connectionString so that
// overriding `database` really changes the database (upstream bug 2).

const PRISMA_ONLY_URL_PARAMS = [
  "schema",
  "connection_limit",
  "pool_timeout",
  "pgbouncer",
  "statement_cache_size",
  "socket_timeout",
  "connect_timeout",
  "sslmode",
  "sslaccept",
  "sslidentity",
  "sslpassword",
];

export function connectionFromUrl(url) {
  const parsed = { ...parsePgUrl(url) };
  const schema = typeof parsed.schema === "string" && parsed.schema !== "" ? parsed.schema : "public";
  const connectTimeoutSeconds = Number(parsed.connect_timeout ?? 10);
  const connectionLimit = parsed.connection_limit !== undefined ? Number(parsed.connection_limit) : undefined;
  for (const key of PRISMA_ONLY_URL_PARAMS) delete parsed[key];
  for (const key of Object.keys(parsed)) if (parsed[key] === undefined || parsed[key] === null) delete parsed[key];
  const config = {
    ...parsed,
    port: parsed.port !== undefined ? Number(parsed.port) : undefined,
    database: parsed.database || "postgres",
    connectionTimeoutMillis: connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : undefined,
    ...(connectionLimit ? { max: connectionLimit } : {}),
  };
  for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
  return { config, schema };
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

function serverLabel(config) {
  return `${config.host ?? "localhost"}:${config.port ?? 5432}`;
}

// ---------------------------------------------------------------------------------------------
// Errors. Known user-facing errors carry a Prisma error code (P1xxx, P3xxx) like the native engine.

class KnownError extends Error {
  constructor(errorCode, message, meta) {
    super(message);
    this.code = errorCode;
    this.meta = meta;
  }
}

// Maps a pg connection/DDL error to the code the native engine would report for it.
export function knownErrorFromPg(error, config) {
  const server = serverLabel(config);
  switch (error?.code) {
    case "3D000":
      return new KnownError(
        "P1003",
        `Database \`${config.database}\` does not exist on the database server at \`${server}\`.`,
        { database_name: config.database, database_location: server },
      );
    case "28P01":
    case "28000":
      return new KnownError(
        "P1000",
        `Authentication failed against database server, the provided database credentials for \`${config.user ?? ""}\` are not valid.`,
        { database_user: config.user, database_host: config.host },
      );
    case "42P04":
      return new KnownError(
        "P1009",
        `Database \`${config.database}\` already exists on the database server at \`${server}\``,
        { database_name: config.database },
      );
    case "42501":
      return new KnownError(
        "P1010",
        `User \`${config.user ?? ""}\` was denied access on the database \`${config.database}\``,
        { database_user: config.user, database_name: config.database },
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
      return new KnownError(
        "P1001",
        `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
        { database_host: config.host, database_port: config.port },
      );
    default:
      if (/timeout/i.test(error?.message ?? "")) {
        return new KnownError("P1001", `Can't reach database server at \`${server}\` (${error.message})`, {
          database_host: config.host,
          database_port: config.port,
        });
      }
      return error instanceof Error ? error : new Error(String(error));
  }
}

async function withClient(config, fn) {
  const client = new pg.Client(config);
  client.on("error", () => {}); // a dropped idle connection must not crash the engine
  try {
    await client.connect();
  } catch (error) {
    throw knownErrorFromPg(error, config);
  }
  try {
    return await fn(client);
  } catch (error) {
    throw knownErrorFromPg(error, config);
  } finally {
    await client.end().catch(() => {});
  }
}

// DDL on databases must run from another database; `postgres` normally exists, template1 always.
async function withMaintenanceClient(config, fn) {
  try {
    return await withClient({ ...config, database: "postgres" }, fn);
  } catch (error) {
    if (error?.code !== "P1003") throw error;
    return await withClient({ ...config, database: "template1" }, fn);
  }
}

export async function canConnect(url) {
  const { config } = connectionFromUrl(url);
  await withClient(config, (client) => client.query("SELECT 1"));
}

export async function createDatabase(url) {
  const { config } = connectionFromUrl(url);
  await withMaintenanceClient(config, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(config.database)}`);
    } catch (error) {
      throw knownErrorFromPg(error, config);
    }
  });
  return config.database;
}

export async function dropDatabase(url) {
  const { config } = connectionFromUrl(url);
  await withMaintenanceClient(config, (client) => client.query(`DROP DATABASE ${quoteIdent(config.database)}`));
  return config.database;
}

// ---------------------------------------------------------------------------------------------
// The adapter wrapper.

// Bug 4: Postgres splits a simple-protocol query itself, `$$` bodies, quotes and comments included.
function runWholeScript(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error); // rethrows as the adapter's DriverAdapterError, as upstream does
    }
  };
  return adapter;
}

// Bug 1: the column-type switch is private to adapter-pg, so the OIDs are rewritten to `text`
// (25) on the raw result before it reaches that switch. Row values of both types already arrive
// as strings (pg has no parser for them). Patched once on the shared queryable prototype, which
// also covers transactions.
const READ_AS_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;
const patchedPrototypes = new WeakSet();
function readCharAndNameAsText(adapter) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || patchedPrototypes.has(proto)) return adapter;
  const performIO = proto.performIO;
  proto.performIO = async function performIOWithTextOids(query) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) {
      if (READ_AS_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  patchedPrototypes.add(proto);
  return adapter;
}

function fixAdapter(adapter) {
  return runWholeScript(readCharAndNameAsText(adapter));
}

// Shadow databases still open, so a SIGTERM from the CLI cannot leave one behind.
const liveShadowDatabases = new Map(); // name -> server config

async function dropShadowDatabase(serverConfig, database) {
  await withMaintenanceClient(serverConfig, async (client) => {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
    } catch (error) {
      // 55006: still in use (a connection the engine leaked); PG >= 13 can force it.
      if (error?.code !== "55006") throw error;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    }
  });
  liveShadowDatabases.delete(database);
}

export class FixedPgAdapterFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";

  // shadowServerUrl: where shadow databases are created (the main server unless a
  // shadowDatabaseUrl is configured; a fresh database is created there either way).
  constructor(url, shadowServerUrl = url) {
    const main = connectionFromUrl(url);
    this.config = main.config;
    this.schema = main.schema;
    this.shadowServerConfig = connectionFromUrl(shadowServerUrl).config;
  }

  async connect() {
    const adapter = await new PrismaPg(this.config, { schema: this.schema }).connect();
    return fixAdapter(adapter);
  }

  async connectToShadowDb() {
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    const server = this.shadowServerConfig;
    // Created through the adapter so that failures come back as the adapter's typed errors.
    const admin = fixAdapter(await new PrismaPg({ ...server, database: server.database }).connect());
    try {
      await admin.executeScript(`CREATE DATABASE ${quoteIdent(database)}`);
    } finally {
      await admin.dispose();
    }
    liveShadowDatabases.set(database, server);
    const pool = new pg.Pool({ ...server, database }); // bug 2: discrete fields, no connectionString
    const adapter = fixAdapter(await new PrismaPg(pool, { schema: this.schema }).connect());
    const releasePoolListener = adapter.dispose.bind(adapter);
    // Bug 3: close every pooled connection before dropping the database.
    adapter.dispose = async () => {
      await releasePoolListener();
      await pool.end();
      await dropShadowDatabase(server, database);
    };
    return adapter;
  }
}

// For diffs that need no database. The engine's only query at start-up reads whether the schema
// exists, version() and server_version_num; anything else means the request did need a database.
class OfflineAdapterFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";
  static PROBE_ROW = [true, "PostgreSQL (no connection)", 150000]; // assumed server: PostgreSQL 15

  async connect() {
    const unavailable = async () => {
      throw new KnownError("P1001", "This command needs a database connection, and the database cannot be reached.");
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      async queryRaw(query) {
        if (/current_setting\('server_version_num'\)/.test(query.sql)) {
          return {
            columnNames: ["exists", "version", "numeric_version"],
            columnTypes: [5, 7, 0],
            rows: [OfflineAdapterFactory.PROBE_ROW],
          };
        }
        return unavailable();
      },
      executeRaw: unavailable,
      executeScript: unavailable,
      startTransaction: unavailable,
      getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
      async dispose() {},
    };
  }

  async connectToShadowDb() {
    throw new KnownError("P1001", "A shadow database needs a database connection, and the database cannot be reached.");
  }
}

// ---------------------------------------------------------------------------------------------
// The wasm engine. Node 20 cannot `import` a .wasm module, so the package's entry point cannot
// load; its wasm-bindgen glue is wired to the instantiated module by hand instead.

let wasmGlue = null;
async function loadWasmEngine() {
  if (wasmGlue) return wasmGlue;
  const glue = await import(`${WASM_PACKAGE}/schema_engine_bg`);
  const wasmPath = require.resolve(`${WASM_PACKAGE}/schema_engine_bg`).replace(/\.js$/, ".wasm");
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  wasmGlue = glue;
  return glue;
}

function wasmPackageVersion() {
  try {
    // The package's export map hides package.json; it sits next to the glue module.
    const glueFile = require.resolve(`${WASM_PACKAGE}/schema_engine_bg`);
    return JSON.parse(readFileSync(new URL("package.json", pathToFileURL(glueFile)), "utf8")).version;
  } catch {
    return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server.

// The wasm engine reports a failing migration script without the native P3018 code.
function withMigrationFailureCode(error) {
  const message = error?.message ?? "";
  if (error?.code || !message.includes("apply_migration::apply_script")) return error;
  const name = /migration_name="([^"]+)"/.exec(message)?.[1] ?? "unknown";
  const databaseError = message
    .split(/\n\s+0: /)[0]
    .replace(/^external connector error\n/, "")
    .trim();
  return new KnownError(
    "P3018",
    "A migration failed to apply. New migrations cannot be applied before the error is recovered from. " +
      "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve" +
      `\n\nMigration name: ${name}\n\nDatabase error:\n${databaseError}`,
    { migration_name: name, database_error: databaseError },
  );
}

function errorPayload(error) {
  const isPanic = error instanceof WebAssembly.RuntimeError || /panicked|unreachable/i.test(error?.message ?? "");
  const message = error?.message ?? String(error);
  const data = { is_panic: isPanic, message, backtrace: isPanic ? (error?.stack ?? null) : null };
  if (typeof error?.code === "string" && /^P\d{4}$/.test(error.code)) data.error_code = error.code;
  if (error?.meta !== undefined) data.meta = error.meta;
  if (isPanic) data.error = { message };
  return { code: RPC_ERROR_CODE, message: "An error happened. Check the data field for details.", data };
}

function datasourceUrlFromParam(param, fallbackUrl) {
  if (param?.tag === "ConnectionString" && param.url) return param.url;
  if (param?.tag === "url" && param.url) return param.url;
  return fallbackUrl;
}

class RpcServer {
  constructor(args) {
    this.args = args;
    this.url = args.datasource?.url ?? null;
    this.shadowUrl = args.datasource?.shadowDatabaseUrl ?? null;
    this.enginePromise = null;
    this.queue = Promise.resolve();
    this.nextOwnId = 1;
    this.pendingAcks = new Map();
  }

  send(message) {
    process.stdout.write(JSON.stringify(message) + "\n");
  }

  async engine() {
    if (!this.enginePromise) {
      const url = this.url ?? "postgresql://localhost/postgres";
      const factory = new FixedPgAdapterFactory(url, this.shadowUrl ?? url);
      this.enginePromise = this.createEngine(factory).catch(async (error) => {
        // The wasm engine's connection errors carry no Prisma code; ask the server directly so
        // that the CLI sees the native codes (P1000, P1001, P1003, ...).
        if (this.url) await canConnect(this.url);
        throw error;
      });
      // Let a later request retry rather than replay a failed connection forever.
      this.enginePromise.catch(() => {
        this.enginePromise = null;
      });
    }
    return this.enginePromise;
  }

  async createEngine(factory) {
    const glue = await loadWasmEngine();
    const datamodels = await Promise.all(
      this.args.datamodels.map(async (path) => [path, await readFile(path, "utf8")]),
    );
    const onLog = (line) => process.stderr.write(String(line).trimEnd() + "\n");
    return glue.SchemaEngine.new(
      { datamodels: datamodels.length > 0 ? datamodels : undefined },
      onLog,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  }

  // The wasm engine opens its database connection when it is constructed, but a diff between
  // Prisma schemas (or from empty) needs no database, and the native engine does it offline.
  // When the database cannot be reached, such a diff runs on an engine whose adapter answers
  // only the engine's start-up probe.
  async engineForDiff(params) {
    try {
      return await this.engine();
    } catch (error) {
      const offlineTags = new Set(["empty", "schemaDatamodel"]);
      const offlineCapable = offlineTags.has(params?.from?.tag) && offlineTags.has(params?.to?.tag);
      if (!offlineCapable) throw error;
      logLine("INFO", `no database connection (${error?.message ?? error}); diffing schemas without one`);
      return this.createEngine(new OfflineAdapterFactory());
    }
  }

  // Asks the CLI to print `content` to its stdout and waits for the acknowledgement, as the native
  // engine does for `diff`: the CLI may be capturing its stdout for `--output`.
  printThroughClient(content) {
    const id = `print-${this.nextOwnId++}`;
    const acked = new Promise((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.pendingAcks.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.send({ jsonrpc: "2.0", id, method: "print", params: { content } });
    return acked;
  }

  async dispatch(method, params) {
    switch (method) {
      case "getDatabaseVersion":
      case "version":
        return (await this.engine()).version(params ?? null);
      case "diff":
      case "migrateDiff": {
        const result = await (await this.engineForDiff(params)).diff(params);
        if (typeof result?.stdout === "string" && result.stdout.length > 0) {
          await this.printThroughClient(result.stdout.replace(/\n$/, ""));
        }
        return { exitCode: result?.exitCode ?? 0, stdout: null };
      }
      case "createDatabase": {
        const url = datasourceUrlFromParam(params?.datasource, this.url);
        if (!url) throw new KnownError("P1012", "No datasource URL was given to the schema engine.");
        return { databaseName: await createDatabase(url) };
      }
      case "ensureConnectionValidity": {
        // The wasm engine only checks its own connection; check the one asked about.
        const url = datasourceUrlFromParam(params?.datasource, this.url);
        if (url) await canConnect(url);
        else await (await this.engine()).ensureConnectionValidity(params);
        return {};
      }
      case "dbExecute": {
        // Same as the native engine: the script goes to Postgres as one simple query.
        const url = params?.datasourceType?.tag === "url" ? params.datasourceType.url : this.url;
        if (!url) throw new KnownError("P1012", "No datasource URL was given to the schema engine.");
        const { config } = connectionFromUrl(url);
        await withClient(config, (client) => client.query(params.script));
        return {};
      }
      case "debugPanic":
        throw new WebAssembly.RuntimeError("This is the debugPanic artificial panic");
      case "getDatabaseDescription":
        throw new Error("getDatabaseDescription is not available in the wasm schema engine.");
      case "evaluateDataLoss":
      case "createMigration":
        return this.withMigrationSchemaCached(method, params);
      case "applyMigrations":
      case "devDiagnostic":
      case "diagnoseMigrationHistory":
      case "introspect":
      case "introspectSql":
      case "markMigrationApplied":
      case "markMigrationRolledBack":
      case "reset":
      case "schemaPush": {
        const engine = await this.engine();
        const result = await engine[method](params);
        return result === undefined ? {} : result;
      }
      default: {
        const error = new Error(`Method not found: ${method}`);
        error.rpcCode = -32601;
        throw error;
      }
    }
  }

  // In the wasm build, evaluateDataLoss and createMigration get the schema of the migration history
  // only from a cache that diagnoseMigrationHistory fills (they have no shadow-database factory of
  // their own). That cache is keyed by the *applied* migrations, so once `migrate dev` has applied
  // a pending migration the lookup misses and the engine fails with "PostgreSQL shadow DB must be
  // provided through an external factory". Re-diagnosing (now that every migration is applied)
  // fills the cache for the full list; then the call is retried once.
  async withMigrationSchemaCached(method, params) {
    const engine = await this.engine();
    try {
      return await engine[method](params);
    } catch (error) {
      if (!/shadow DB must be provided through an external factory/.test(error?.message ?? "")) throw error;
      logLine(
        "INFO",
        `${method}: migration schema not cached; re-diagnosing the migration history on a shadow database`,
      );
      await engine.diagnoseMigrationHistory({
        migrationsList: params.migrationsList,
        optInToShadowDatabase: true,
        filters: params.filters ?? { externalTables: [], externalEnums: [] },
      });
      return engine[method](params);
    }
  }

  handleLine(line) {
    if (line.trim() === "") return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined && message.id !== undefined) {
      // Acknowledgement of a request we sent (print).
      this.pendingAcks.get(message.id)?.();
      this.pendingAcks.delete(message.id);
      return;
    }
    // The wasm engine is not re-entrant; requests run one at a time in arrival order.
    this.queue = this.queue.then(async () => {
      try {
        const result = await this.dispatch(message.method, message.params);
        if (message.id !== undefined) this.send({ jsonrpc: "2.0", id: message.id, result: result ?? null });
      } catch (caught) {
        const error = withMigrationFailureCode(caught);
        logLine(
          "ERROR",
          error?.message ?? String(error),
          typeof error?.code === "string" ? { error_code: error.code } : {},
        );
        if (message.id === undefined) return;
        const payload = error?.rpcCode ? { code: error.rpcCode, message: error.message } : errorPayload(error);
        this.send({ jsonrpc: "2.0", id: message.id, error: payload });
      }
    });
  }

  run() {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    lines.on("line", (line) => this.handleLine(line));
    lines.on("close", () => {
      this.queue.then(() => shutdown(0));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Process lifecycle.

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const [database, server] of liveShadowDatabases) {
    await dropShadowDatabase(server, database).catch((error) =>
      logLine("WARN", `could not drop shadow database ${database}: ${error.message}`),
    );
  }
  process.exit(code);
}

async function runCliCommand(args) {
  const url = args.datasource?.url;
  // The CLI skips the first stderr line of a one-shot command, so always write one.
  logLine("INFO", `Starting schema engine CLI command ${args.cliCommand} (wasm shim)`, {}, "schema_engine_cli");
  try {
    if (!url) throw new KnownError("P1012", "The --datasource argument with a `url` is required.");
    switch (args.cliCommand) {
      case "can-connect-to-database":
        await canConnect(url);
        process.stdout.write("Connection successful\n");
        break;
      case "create-database": {
        const name = await createDatabase(url);
        process.stdout.write(`Database '${name}' was successfully created.\n`);
        break;
      }
      case "drop-database": {
        const name = await dropDatabase(url);
        process.stdout.write(`The database '${name}' was successfully dropped.\n`);
        break;
      }
      default:
        throw new Error(`Unknown cli command: ${args.cliCommand}`);
    }
    return 0;
  } catch (error) {
    const fields = { is_panic: false, message: error?.message ?? String(error) };
    if (typeof error?.code === "string" && /^P\d{4}$/.test(error.code)) fields.error_code = error.code;
    process.stderr.write(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level: "ERROR",
        fields,
        target: "schema_engine::logger",
      }),
    );
    return 1;
  }
}

async function main() {
  // Node warnings would corrupt the stderr the CLI parses as JSON lines.
  process.removeAllListeners("warning");
  // The CLI ends the engine with SIGTERM right after closing stdin.
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(0));
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    logLine("ERROR", `Invalid arguments: ${error.message}`);
    process.exit(1);
  }
  if (args.version) {
    process.stdout.write(`schema-engine-wasm ${wasmPackageVersion()} (shim over @prisma/adapter-pg)\n`);
    return;
  }
  if (args.help) {
    process.stdout.write(
      "Usage: engine.mjs [--datamodels <file>]... [--datasource '{\"url\": ...}'] [cli can-connect-to-database|create-database|drop-database]\n",
    );
    return;
  }
  if (args.cliCommand !== null) {
    process.exit(await runCliCommand(args));
  }
  new RpcServer(args).run();
}

// Imported by tests for its helpers; run as the engine only when executed directly.
const invokedDirectly =
  Boolean(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main().catch((error) => {
    logLine("ERROR", error?.stack ?? String(error));
    process.exit(1);
  });
}
