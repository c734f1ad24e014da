// `npm run test:faults`: the fault scenarios, each printing what it did and what it found.
//   1. PostgreSQL restarts while readers autosave and submit (scripts/faults/postgres-restart.ts):
//      nothing lost, nothing duplicated.
//   2. The fast fault tests of the unit suite, against a fresh test database: storage full /
//      read-only (lib/storage/content-store.faults.test.ts), corrupt images in a dataset skipped and
//      reported (lib/datasets/import-folder.test.ts), a worker stopped mid-epoch requeues its run and
//      the next worker resumes from the checkpoint (lib/jobs/training-pipeline.test.ts,
//      lib/jobs/worker-process.test.ts), a training process killed with SIGKILL resumes from its
//      checkpoint (lib/ml/train/train-crash.test.ts), and every *.faults.test.ts / *.hostile.test.ts.
import { unitTestFiles, runUnitTests } from "./test-unit";
import { createTestDatabase } from "../harness/test-database";
import { postgresRestartScenario } from "./faults/postgres-restart";

const FAULT_TESTS = [
  "lib/datasets/import-folder.test.ts",
  "lib/jobs/training-pipeline.test.ts",
  "lib/jobs/worker-process.test.ts",
  "lib/ml/train/train-crash.test.ts",
  ".faults.test.ts",
  ".hostile.test.ts",
];

/** Fault 1 on its own (also part of `npm test`): true when nothing was lost or duplicated. */
export async function runPostgresRestartFault(): Promise<boolean> {
  console.log("== Fault 1: PostgreSQL restart while 20 readers autosave and submit ==");
  try {
    const r = await postgresRestartScenario();
    console.log(r.table);
    const a = r.answers;
    console.log(
      `database down ${r.downMs} ms; ${r.retries} retried requests, ${r.finalErrors} requests failed after all retries`,
    );
    console.log(
      `answers: ${a.found} stored for ${a.expected} acknowledged; missing ${a.missing}, duplicated ${a.duplicated}, mismatched ${a.mismatched}, unexpected ${a.unexpected}, wrong arm ${a.wrongArm}`,
    );
    const ok = a.ok && r.finalErrors === 0;
    console.log(ok ? "PASSED" : "FAILED");
    return ok;
  } catch (e) {
    console.error(e);
    return false;
  }
}

async function main() {
  let failed = !(await runPostgresRestartFault());

  console.log("\n== Faults 2–4: storage, worker interruption, corrupt images, hostile input ==");
  const files = unitTestFiles(FAULT_TESTS);
  console.log(files.join("\n"));
  const tdb = await createTestDatabase();
  try {
    if (runUnitTests(tdb.url, files) !== 0) failed = true;
  } finally {
    await tdb.drop();
  }
  console.log(failed ? "\ntest:faults FAILED" : "\ntest:faults passed");
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
