// Unit and integration tests: every `*.test.ts` beside the code, with node's own test runner,
// against a fresh test database. Node 20's `--test` takes no globs, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase } from "../harness/test-database";

const ROOTS = ["lib", "workers", "scripts", "prisma"];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "generated") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

export function unitTestFiles(filter: string[] = []): string[] {
  return ROOTS.flatMap((r) => {
    try {
      return walk(r, []);
    } catch {
      return [];
    }
  })
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();
}

/**
 * Trainer tests that run a second time on tfjs' pure-JS `cpu` backend (FOCUS_TF_BACKEND=cpu), which shares no
 * kernel with the default wasm + native one: no GPU is available here, and passing on two unrelated kernel sets
 * shows that training does not depend on one backend. Small enough to take seconds on `cpu`.
 */
export const CPU_BACKEND_TESTS = ["lib/ml/train/train-any-backend.test.ts"];

function runNodeTests(files: string[], databaseUrl: string, extraEnv: Record<string, string> = {}): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "test-secret-".padEnd(40, "x"),
      FOCUS_STORAGE_DIR: process.env.FOCUS_STORAGE_DIR ?? "data/test-storage",
      ...extraEnv,
    },
  });
  return r.status ?? 1;
}

export function runUnitTests(databaseUrl: string, filter: string[] = []): number {
  const files = unitTestFiles(filter);
  if (files.length === 0) {
    console.error("no test files matched");
    return 1;
  }
  const status = runNodeTests(files, databaseUrl);
  const again = files.filter((f) => CPU_BACKEND_TESTS.includes(f.split("\\").join("/")));
  if (again.length === 0) return status;
  console.log(`\nAgain on the cpu backend (FOCUS_TF_BACKEND=cpu): ${again.join(" ")}`);
  const cpu = runNodeTests(again, databaseUrl, { FOCUS_TF_BACKEND: "cpu" });
  return status !== 0 ? status : cpu;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tdb = await createTestDatabase();
  let code: number;
  try {
    code = runUnitTests(tdb.url, process.argv.slice(2));
  } finally {
    await tdb.drop();
  }
  process.exit(code);
}
