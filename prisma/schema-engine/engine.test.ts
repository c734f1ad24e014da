// Runs the real Prisma CLI through engine.mjs against a throwaway PostgreSQL database:
// create it, deploy a migration whose trigger function has a `$$` body full of `;`,
// check `migrate status`, replay the history on a shadow database, and drop it again.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, writeFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { connectionFromUrl } from "./engine.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const enginePath = join(here, "engine.mjs");
const prismaCli = join(repoRoot, "node_modules", "prisma", "build", "index.js");
const serverUrl = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function urlForDatabase(database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ ...connectionFromUrl(serverUrl).config, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const SCHEMA = `generator client {
  provider = "prisma-client"
  output   = "../generated"
}

datasource db {
  provider = "postgresql"
}

model Reading {
  id        Int      @id @default(autoincrement())
  label     String   @unique
  version   Int      @default(0)
}
`;

// The function body holds three `;`: an adapter that split scripts on `;` would send
// "CREATE FUNCTION ... BEGIN NEW.version := NEW.version + 1" alone and fail.
const MIGRATION = `-- CreateTable
CREATE TABLE "Reading" (
    "id" SERIAL NOT NULL,
    "label" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Reading_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Reading_label_key" ON "Reading"("label");

CREATE FUNCTION bump_version() RETURNS trigger AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reading_bump BEFORE UPDATE ON "Reading" FOR EACH ROW EXECUTE FUNCTION bump_version();
`;

describe("connectionFromUrl", () => {
  test("gives discrete pg fields and keeps Prisma-only parameters out", () => {
    const { config, schema } = connectionFromUrl(
      "postgresql://ann:p%40ss@db.example:6543/focus?schema=study&connection_limit=3&sslmode=disable",
    );
    assert.equal(schema, "study");
    assert.equal(config.host, "db.example");
    assert.equal(config.port, 6543);
    assert.equal(config.user, "ann");
    assert.equal(config.password, "p@ss");
    assert.equal(config.database, "focus");
    assert.equal(config.max, 3);
    assert.equal(config.ssl, false);
    assert.equal("connectionString" in config, false);
    assert.equal("schema" in config, false);
    // What the shadow pool relies on: overriding the database really changes it.
    const shadow = new pg.Pool({ ...config, database: "shadow_x" });
    assert.equal(shadow.options.database, "shadow_x");
    void shadow.end();
  });

  test("defaults the schema to public and the database to postgres", () => {
    const { config, schema } = connectionFromUrl("postgresql://localhost");
    assert.equal(schema, "public");
    assert.equal(config.database, "postgres");
  });
});

describe("Prisma CLI through the wasm schema engine", async () => {
  const available = await postgresAnswers();
  const database = `shimtest_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = urlForDatabase(database);
  let projectDir = "";

  const cliEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: enginePath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  });
  const prisma = (...args: string[]) => run(process.execPath, [prismaCli, ...args], { cwd: projectDir, env: cliEnv() });
  const engineCli = (command: string) =>
    run(process.execPath, [enginePath, "--datasource", JSON.stringify({ url: databaseUrl }), "cli", command]);

  before(async () => {
    if (!available) return;
    projectDir = await mkdtemp(join(tmpdir(), "focus-prisma-shim-"));
    const migrationDir = join(projectDir, "prisma", "migrations", "20240101000000_init");
    await mkdir(migrationDir, { recursive: true });
    await writeFile(join(projectDir, "prisma", "schema.prisma"), SCHEMA);
    await writeFile(join(migrationDir, "migration.sql"), MIGRATION);
    await writeFile(join(projectDir, "prisma", "migrations", "migration_lock.toml"), 'provider = "postgresql"\n');
    await writeFile(join(projectDir, "package.json"), '{ "type": "module" }\n');
    await writeFile(
      join(projectDir, "prisma.config.ts"),
      `import { defineConfig } from "prisma/config";
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL! },
});
`,
    );
    await symlink(join(repoRoot, "node_modules"), join(projectDir, "node_modules"), "dir");
  });

  after(async () => {
    if (!available) return;
    await engineCli("drop-database");
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  test(
    "creates, migrates, reports and drops a throwaway database",
    { skip: !available && `no PostgreSQL answers at ${serverUrl} (set TEST_PG_URL)` },
    async () => {
      const missing = await engineCli("can-connect-to-database");
      assert.equal(missing.code, 1);
      // The CLI skips the first stderr line and reads the rest as JSON log lines.
      const errorLine = JSON.parse(missing.stderr.split("\n")[1]) as { fields: { error_code: string } };
      assert.equal(errorLine.fields.error_code, "P1003");

      const created = await engineCli("create-database");
      assert.equal(created.code, 0, created.stderr);
      assert.equal((await engineCli("can-connect-to-database")).code, 0);

      const deploy = await prisma("migrate", "deploy");
      assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
      assert.match(deploy.stdout, /All migrations have been successfully applied/);

      const status = await prisma("migrate", "status");
      assert.equal(status.code, 0, status.stdout + status.stderr);
      assert.match(status.stdout, /Database schema is up to date!/);

      // The `$$` body arrived intact: the trigger really bumps the version.
      const client = new pg.Client(connectionFromUrl(databaseUrl).config);
      await client.connect();
      try {
        await client.query(`INSERT INTO "Reading"(label) VALUES ('a')`);
        await client.query(`UPDATE "Reading" SET label = 'b'`);
        await client.query(`UPDATE "Reading" SET label = 'c'`);
        const { rows } = await client.query(`SELECT version FROM "Reading"`);
        assert.deepEqual(rows, [{ version: 2 }]);
      } finally {
        await client.end();
      }

      // Replaying the history needs a shadow database (its own pool, dropped afterwards) and
      // reading catalog `"char"` columns; the schema matches, so the diff is empty (exit code 0).
      const diff = await prisma(
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/migrations",
        "--to-config-datasource",
        "--exit-code",
      );
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);
      assert.match(diff.stdout, /No difference detected/);

      const dropped = await engineCli("drop-database");
      assert.equal(dropped.code, 0, dropped.stderr);
      assert.equal((await engineCli("can-connect-to-database")).code, 1);
    },
  );
});
