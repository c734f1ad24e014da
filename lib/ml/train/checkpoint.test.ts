import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rename, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { readCheckpoint, writeCheckpoint, type RunIdentity } from "./checkpoint";

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "focus-ckpt-"));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const identity: RunIdentity = { variant: "se", seed: 3, width: 0.25, inputSize: 32, dataFingerprint: "abc" };

function content(epochsDone: number) {
  return {
    state: {
      identity,
      params: { epochs: 5 },
      epochsDone,
      history: [],
      rng: { scheme: "mulberry32(combineSeeds(seed, epoch, stream))" as const, seed: 3, nextEpoch: epochsDone },
      lastValScores: [0.25, 0.75],
    },
    momentum: [Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([epochsDone])],
    momentumShapes: [[2, 3], [1]],
    saveModelTo: async (dir: string) => {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "model.json"), JSON.stringify({ epochsDone }));
    },
  };
}

describe("checkpoint", () => {
  test("no checkpoint in an empty or missing folder", async () => {
    const d = await freshDir();
    assert.equal(await readCheckpoint(d), null);
    assert.equal(await readCheckpoint(path.join(d, "missing")), null);
  });

  test("round-trips state, momentum and model, and a newer write replaces the older one without leftovers", async () => {
    const d = await freshDir();
    await writeCheckpoint(d, content(1));
    await writeCheckpoint(d, content(2));
    const ck = await readCheckpoint(d);
    assert.ok(ck);
    assert.equal(ck.state.epochsDone, 2);
    assert.deepEqual(ck.state.identity, identity);
    assert.deepEqual(ck.state.lastValScores, [0.25, 0.75]);
    assert.deepEqual(
      ck.momentum.map((m) => Array.from(m)),
      [[1, 2, 3, 4, 5, 6], [2]],
    );
    assert.deepEqual(JSON.parse(await readFile(path.join(ck.modelDir, "model.json"), "utf8")), { epochsDone: 2 });
    assert.deepEqual(await readdir(d), ["checkpoint"]);
  });

  test("a crash between the two renames leaves the old checkpoint, which is found and then cleaned up", async () => {
    const d = await freshDir();
    await writeCheckpoint(d, content(3));
    await rename(path.join(d, "checkpoint"), path.join(d, "checkpoint.old-crash"));
    // An interrupted temp directory without state.json must be ignored.
    await mkdir(path.join(d, "checkpoint.tmp-crash", "model"), { recursive: true });
    const ck = await readCheckpoint(d);
    assert.equal(ck?.state.epochsDone, 3);
    await writeCheckpoint(d, content(4));
    assert.deepEqual(await readdir(d), ["checkpoint"]);
    assert.equal((await readCheckpoint(d))?.state.epochsDone, 4);
  });

  test("a corrupted momentum file is refused", async () => {
    const d = await freshDir();
    await writeCheckpoint(d, content(1));
    await writeFile(path.join(d, "checkpoint", "momentum.bin"), new Uint8Array(28));
    await assert.rejects(readCheckpoint(d), /checksum/);
  });
});
