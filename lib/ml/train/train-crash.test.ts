import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { readCheckpoint } from "./checkpoint";
import { TINY_RUN } from "./test-support/synthetic-run";
import { trainRun } from "./train-run";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
let workDir = "";

before(async () => {
  await initBackend({ log: () => {} });
  workDir = await mkdtemp(path.join(tmpdir(), "focus-crash-"));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

test("a training process killed with SIGKILL after its first checkpoint resumes in-process and matches an uninterrupted run", async (t) => {
  // detached: the child leads its own process group, so one kill reaches npx, tsx and the node running the script.
  const child = spawn("npx", ["tsx", path.join(here, "test-support", "train-child.ts"), workDir], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  const stateFile = path.join(workDir, "checkpoint", "state.json");
  const deadline = Date.now() + 120_000;
  let childExit: NodeJS.Signals | number | null | undefined;
  void exited.then((e) => (childExit = e));
  while (!existsSync(stateFile)) {
    if (childExit !== undefined) assert.fail(`child exited (${childExit}) before its first checkpoint: ${stderr}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      assert.fail("no checkpoint within 120 s");
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  process.kill(-child.pid!, "SIGKILL");
  assert.equal(await exited, "SIGKILL");

  const atCrash = await readCheckpoint(workDir);
  assert.ok(atCrash, "a complete checkpoint survives the kill");
  t.diagnostic(`killed after epoch ${atCrash.state.epochsDone} of ${TINY_RUN.params.epochs}`);
  assert.ok(atCrash.state.epochsDone >= 1 && atCrash.state.epochsDone < TINY_RUN.params.epochs);

  const { train, val } = TINY_RUN.data();
  const base = { variant: TINY_RUN.variant, seed: TINY_RUN.seed, params: TINY_RUN.params, train, val };
  const resumed = await trainRun({ ...base, workDir });
  assert.equal(resumed.status, "completed");
  assert.equal(resumed.epochsDone, TINY_RUN.params.epochs);
  assert.equal(resumed.history.length, TINY_RUN.params.epochs);

  const referenceDir = await mkdtemp(path.join(tmpdir(), "focus-crash-ref-"));
  try {
    const reference = await trainRun({ ...base, workDir: referenceDir });
    // Same seed and backend, in another process, across a crash: the same numbers.
    assert.deepEqual(resumed.valScores, reference.valScores);
    assert.deepEqual(
      resumed.history.map((h) => h.loss),
      reference.history.map((h) => h.loss),
    );
  } finally {
    await rm(referenceDir, { recursive: true, force: true });
  }
});
