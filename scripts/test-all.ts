// `npm test`: type-check, lint and format check, unit + integration tests, then browser tests, on one fresh
// test database.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "../harness/test-database";
import { runUnitTests } from "./test-unit";
import { runE2eTests } from "./test-e2e";
import { runPostgresRestartFault } from "./test-faults";

process.env.FOCUS_STORAGE_DIR ??= mkdtempSync(join(tmpdir(), "focus-test-storage-"));
console.log("== Type-check ==");
const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], {
  stdio: "inherit",
});
if (tsc.status !== 0) {
  console.error("Type-check failed.");
  process.exit(1);
}
console.log("\n== Lint and format (npm run lint) ==");
const lint = spawnSync("npm", ["run", "-s", "lint"], { stdio: "inherit" });
if (lint.status !== 0) {
  console.error("Lint failed: run `npm run format` to fix formatting, then fix what ESLint reports.");
  process.exit(1);
}
const tdb = await createTestDatabase();
let unit: number;
let e2e: number;
try {
  console.log(`\n== Unit and integration tests (database ${new URL(tdb.url).pathname.slice(1)}) ==\n`);
  unit = runUnitTests(tdb.url);
  console.log("\n== Browser tests ==\n");
  e2e = await runE2eTests(tdb.url);
} finally {
  await tdb.drop();
}
// Reuses the browser tests' build; runs on its own throwaway PostgreSQL, which it stops and restarts.
console.log("\n== Fault scenario ==\n");
const faults = await runPostgresRestartFault();
console.log(
  `\nunit/integration: ${unit === 0 ? "passed" : "FAILED"}; browser: ${e2e === 0 ? "passed" : "FAILED"}; PostgreSQL restart: ${faults ? "passed" : "FAILED"}`,
);
process.exit(unit === 0 && e2e === 0 && faults ? 0 : 1);
