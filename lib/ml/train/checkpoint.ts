/**
 * Crash-safe training checkpoints. A checkpoint is a directory:
 *
 *   model/          the model (weights including BN moving statistics) in the TF.js layers format
 *   momentum.bin    the SGD momentum buffers, float32, concatenated in parameter order
 *   state.json      epochs done, history, RNG state, run identity, buffer layout and a SHA-256 of momentum.bin
 *
 * Atomicity: everything is written (and fsynced) into a fresh sibling `checkpoint.tmp-*` directory; then the
 * old checkpoint is renamed aside, the new one renamed into place, and the old one removed. A crash at any
 * point leaves either `checkpoint/` or, between the two renames, `checkpoint.old-*` complete; partial temp
 * directories are never read and are cleaned up on the next write. state.json is written last, so a
 * directory without it is incomplete by construction.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { replaceDirAtomic, writeFileSynced } from "../../storage/atomic-write";
import type { EpochProgress } from "./epoch-progress";

export const CHECKPOINT_FORMAT = "focus-train-checkpoint/1";
export const CHECKPOINT_DIR = "checkpoint";
export const CHECKPOINT_MODEL_DIR = "model";
const STATE_FILE = "state.json";
const MOMENTUM_FILE = "momentum.bin";

/** What identifies a run: resuming with a different identity would silently train something else. */
export interface RunIdentity {
  variant: string;
  seed: number;
  width: number;
  inputSize: number;
  /** SHA-256 over the training and validation images and labels. */
  dataFingerprint: string;
}

/**
 * Every epoch's shuffle and flips are drawn from mulberry32(combineSeeds(seed, epoch, stream)), so the
 * generator state at an epoch boundary is fully described by the seed and the next epoch's number.
 */
export interface RngState {
  scheme: "mulberry32(combineSeeds(seed, epoch, stream))";
  seed: number;
  nextEpoch: number;
}

export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  identity: RunIdentity;
  /** The training parameters the checkpoint was made with (informational; a resumed run uses its own). */
  params: Record<string, unknown>;
  epochsDone: number;
  history: EpochProgress[];
  rng: RngState;
  /** Validation P(positive) after the last finished epoch, null before the first. */
  lastValScores: number[] | null;
  momentum: { shapes: number[][]; sha256: string };
  savedAt: string;
}

export interface CheckpointData {
  state: CheckpointState;
  momentum: Float32Array[];
  /** Directory of the checkpoint's model (TF.js layers format). */
  modelDir: string;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

function concatFloat32(parts: readonly Float32Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return new Uint8Array(out.buffer);
}

/**
 * Writes a checkpoint atomically into `workDir/checkpoint`. `saveModelTo` writes the model into the
 * directory it is given (the caller owns the model and its format).
 */
export async function writeCheckpoint(
  workDir: string,
  content: {
    state: Omit<CheckpointState, "format" | "momentum" | "savedAt">;
    momentum: readonly Float32Array[];
    momentumShapes: number[][];
    saveModelTo: (dir: string) => Promise<void>;
  },
): Promise<void> {
  await mkdir(workDir, { recursive: true });
  const finalDir = path.join(workDir, CHECKPOINT_DIR);
  const tag = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tmpDir = path.join(workDir, `${CHECKPOINT_DIR}.tmp-${tag}`);
  const oldDir = path.join(workDir, `${CHECKPOINT_DIR}.old-${tag}`);
  await cleanStaleDirectories(workDir, "tmp");
  await mkdir(tmpDir, { recursive: true });

  await content.saveModelTo(path.join(tmpDir, CHECKPOINT_MODEL_DIR));
  const momentumBytes = concatFloat32(content.momentum);
  await writeFileSynced(path.join(tmpDir, MOMENTUM_FILE), momentumBytes);
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    ...content.state,
    momentum: { shapes: content.momentumShapes, sha256: sha256(momentumBytes) },
    savedAt: new Date().toISOString(),
  };
  await writeFileSynced(path.join(tmpDir, STATE_FILE), JSON.stringify(state));
  await replaceDirAtomic(tmpDir, finalDir, oldDir);
  await cleanStaleDirectories(workDir, "old");
}

/** Removes leftovers of interrupted writes: temp directories always; old ones only once a current one exists. */
async function cleanStaleDirectories(workDir: string, kind: "tmp" | "old"): Promise<void> {
  if (kind === "old" && !(await exists(path.join(workDir, CHECKPOINT_DIR, STATE_FILE)))) return;
  const prefix = `${CHECKPOINT_DIR}.${kind}-`;
  for (const name of await readdir(workDir).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await rm(path.join(workDir, name), { recursive: true, force: true });
  }
}

async function readCheckpointAt(dir: string): Promise<CheckpointData> {
  const state = JSON.parse(await readFile(path.join(dir, STATE_FILE), "utf8")) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT) throw new Error(`${dir}: unknown checkpoint format ${String(state.format)}`);
  const bytes = new Uint8Array(await readFile(path.join(dir, MOMENTUM_FILE)));
  if (sha256(bytes) !== state.momentum.sha256) throw new Error(`${dir}: momentum.bin does not match its checksum`);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const momentum: Float32Array[] = [];
  let offset = 0;
  for (const shape of state.momentum.shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    momentum.push(all.slice(offset, offset + n));
    offset += n;
  }
  if (offset !== all.length) throw new Error(`${dir}: momentum.bin holds ${all.length} values, its layout ${offset}`);
  return { state, momentum, modelDir: path.join(dir, CHECKPOINT_MODEL_DIR) };
}

/**
 * The latest complete checkpoint in `workDir`, or null when there is none. Falls back to a
 * `checkpoint.old-*` directory left by a crash between the two renames of a write.
 */
export async function readCheckpoint(workDir: string): Promise<CheckpointData | null> {
  const current = path.join(workDir, CHECKPOINT_DIR);
  if (await exists(path.join(current, STATE_FILE))) return readCheckpointAt(current);
  const names = (await readdir(workDir).catch(() => [] as string[])).filter((n) =>
    n.startsWith(`${CHECKPOINT_DIR}.old-`),
  );
  const candidates: { dir: string; epochs: number }[] = [];
  for (const name of names) {
    const dir = path.join(workDir, name);
    try {
      const data = await readCheckpointAt(dir);
      candidates.push({ dir, epochs: data.state.epochsDone });
    } catch {
      // incomplete: ignore
    }
  }
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => b.epochs - a.epochs);
  return readCheckpointAt(candidates[0].dir);
}
