/**
 * One training run of a ResNet-18 variant with the protocol of Rao et al. (ICCV-W 2021):
 * SGD momentum with coupled weight decay (sgd-momentum.ts), step learning rate (lr-schedule.ts), softmax
 * cross-entropy on 2 logits, seeded shuffling and horizontal flips (batches.ts), validation AUC-ROC each
 * epoch on softmax P(positive), crash-safe checkpoints (checkpoint.ts) and resume.
 *
 * Uses whatever TF.js backend is active: call initBackend() (lib/ml/backend/select-backend.ts) first.
 * Given the seed and the backend, a run is reproducible, and a resumed run continues exactly where the
 * checkpoint left off (same weights, momentum, BN statistics, epoch and RNG streams).
 */
import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { aucRoc, rocCurve } from "@/lib/ml/metrics/auc";
import { buildModel, type Variant } from "@/lib/ml/models/build-model";
import { loadModel, saveModel } from "@/lib/ml/models/save-load";
import {
  INPUT_NORMALISATION_RECORD,
  imagesToInputTensor,
  type InputNormalisationRecord,
} from "@/lib/ml/models/preprocess";
import { batchRanges, epochFlips, epochOrder } from "./batches";
import { disposeModel } from "../models/dispose-model";
import { CHECKPOINT_DIR, CHECKPOINT_MODEL_DIR, readCheckpoint, writeCheckpoint, type RunIdentity } from "./checkpoint";
import { learningRateAt } from "./lr-schedule";
import { remainingSeconds, type EpochProgress } from "./epoch-progress";
import { microBatchSizes, planMicroBatches, type MicroBatchPlan } from "./micro-batch";
import { SgdMomentum } from "./sgd-momentum";
import type { TrainParams } from "./train-params";
import { replaceDirAtomic } from "../../storage/atomic-write";
import { trainStep } from "./train-step";
import { classWeightsFor } from "./class-weights";

export interface LabelledImages {
  /** Each image RGB uint8, inputSize * inputSize * 3, NHWC (interleaved) order. */
  images: Uint8Array[];
  labels: number[];
}

export interface TrainRunResult {
  status: "completed" | "cancelled";
  epochsDone: number;
  valAuc: number | null;
  roc: { fpr: number; tpr: number; threshold: number }[] | null;
  history: EpochProgress[];
  /** How each batch ran: at once, or as micro-batches with accumulated gradients. */
  microBatchPlan: MicroBatchPlan;
  /**
   * TF.js layers format (model.json + weight shards). Completed: `workDir/model`. Cancelled: the
   * checkpoint's model (`workDir/checkpoint/model`), i.e. the weights after the finished epochs; it is
   * replaced when the run resumes.
   */
  modelDir: string;
  /** Validation P(positive) of the returned model, in the order of `val.images`. */
  valScores: number[];
}

export interface TrainRunOptions {
  variant: Variant;
  seed: number;
  params: TrainParams;
  train: LabelledImages;
  val: LabelledImages;
  /** The run's own folder: checkpoints in workDir/checkpoint, the final model in workDir/model. */
  workDir: string;
  /** Called after every epoch, after its checkpoint (if any) is written. */
  onEpoch?: (p: EpochProgress) => void | Promise<void>;
  /** Called once before the first batch with how batches are split into micro-batches (to record it). */
  onPlan?: (plan: MicroBatchPlan) => void | Promise<void>;
  /** Checked before every batch; true => checkpoint the finished epochs and return "cancelled". */
  shouldStop?: () => boolean | Promise<boolean>;
  log?: (msg: string) => void;
}

export const FINAL_MODEL_DIR = "model";

/** Metadata stored in model.json (userDefinedMetadata.focus) so consumers can rebuild the input exactly. */
export interface FocusModelMetadata {
  variant: Variant;
  width: number;
  inputSize: number;
  seed: number;
  classes: ["negative", "positive"];
  inputNormalisation: InputNormalisationRecord;
}

function checkImages(name: string, set: LabelledImages, inputSize: number): void {
  if (set.images.length !== set.labels.length) {
    throw new Error(`${name}: ${set.images.length} images but ${set.labels.length} labels`);
  }
  const bytes = inputSize * inputSize * 3;
  set.images.forEach((img, i) => {
    if (img.length !== bytes)
      throw new Error(`${name} image ${i}: ${img.length} bytes, expected ${inputSize}x${inputSize}x3 = ${bytes}`);
  });
  set.labels.forEach((l, i) => {
    if (l !== 0 && l !== 1) throw new Error(`${name} label ${i} must be 0 or 1, got ${l}`);
  });
}

function dataFingerprint(train: LabelledImages, val: LabelledImages): string {
  const h = createHash("sha256");
  for (const set of [train, val]) {
    h.update(`${set.images.length};${set.labels.join(",")};`);
    for (const img of set.images) h.update(img);
  }
  return h.digest("hex");
}

/** Softmax P(positive) (class 1) of every image, in inference mode (BN with moving statistics). */
export async function predictPositive(
  model: tf.LayersModel,
  images: readonly Uint8Array[],
  inputSize: number,
  batchSize: number,
): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, images.length - start) }, (_, k) => start + k);
    const p = tf.tidy(() => {
      const x = imagesToInputTensor(images, indices, inputSize);
      const logits = model.apply(x, { training: false }) as tf.Tensor2D;
      return tf.softmax(logits).slice([0, 1], [-1, 1]).reshape([-1]);
    });
    scores.push(...(await p.data()));
    p.dispose();
  }
  return scores;
}

/** Copies of every model weight and momentum buffer: the state at an epoch boundary not yet on disk. */
interface Snapshot {
  epochsDone: number;
  weights: tf.Tensor[];
  momentum: tf.Tensor[];
  lastValScores: number[] | null;
}

function takeSnapshot(
  model: tf.LayersModel,
  sgd: SgdMomentum,
  epochsDone: number,
  lastValScores: number[] | null,
): Snapshot {
  // Clones share the data; the variables' later assign() calls swap in new data and leave these intact.
  return {
    epochsDone,
    weights: model.weights.map((w) => tf.clone(w.read())),
    momentum: sgd.buffers.map((b) => tf.clone(b)),
    lastValScores,
  };
}

function restoreSnapshot(model: tf.LayersModel, sgd: SgdMomentum, s: Snapshot): void {
  model.weights.forEach((w, i) => w.write(s.weights[i]));
  sgd.buffers.forEach((b, i) => b.assign(s.momentum[i]));
}

function disposeSnapshot(s: Snapshot | null): void {
  if (s) tf.dispose([...s.weights, ...s.momentum]);
}

/** Copies weights by position, checking shapes: the checkpoint must come from the same architecture. */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  if (from.weights.length !== to.weights.length) {
    throw new Error(`checkpoint model has ${from.weights.length} weights, this run's model ${to.weights.length}`);
  }
  to.weights.forEach((w, i) => {
    const src = from.weights[i].read();
    if (!tf.util.arraysEqual(src.shape, w.shape as number[])) {
      throw new Error(
        `checkpoint weight ${i} (${from.weights[i].originalName}) has shape ${src.shape}, expected ${w.shape}`,
      );
    }
    w.write(src);
  });
}

async function saveModelAtomically(model: tf.LayersModel, dir: string): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await saveModel(model, tmp);
  await replaceDirAtomic(tmp, dir, old);
}

export async function trainRun(opts: TrainRunOptions): Promise<TrainRunResult> {
  // Parsed by the caller (the worker re-validates the stored run's JSON with trainParamsSchema).
  const { variant, seed, params, train, val, workDir } = opts;
  const log = opts.log ?? (() => {});
  checkImages("train", train, params.inputSize);
  checkImages("val", val, params.inputSize);
  if (train.images.length < 2) throw new Error("training needs at least 2 images");
  await mkdir(workDir, { recursive: true });

  const identity: RunIdentity = {
    variant,
    seed,
    width: params.width,
    inputSize: params.inputSize,
    dataFingerprint: dataFingerprint(train, val),
  };
  const metadata: FocusModelMetadata = {
    variant,
    width: params.width,
    inputSize: params.inputSize,
    seed,
    classes: ["negative", "positive"],
    inputNormalisation: INPUT_NORMALISATION_RECORD,
  };

  const model = buildModel({ variant, width: params.width, inputSize: params.inputSize, numClasses: 2, seed });
  model.setUserDefinedMetadata({ focus: metadata });
  const sgd = new SgdMomentum(
    model.trainableWeights.map((w) => w.read() as tf.Variable),
    { momentum: params.momentum, weightDecay: params.weightDecay },
  );

  let history: EpochProgress[] = [];
  let epochsDone = 0;
  let lastValScores: number[] | null = null;
  let pending: Snapshot | null = null;

  const checkpoint = await readCheckpoint(workDir);
  if (checkpoint) {
    const saved = checkpoint.state.identity;
    for (const key of Object.keys(identity) as (keyof RunIdentity)[]) {
      if (saved[key] !== identity[key]) {
        throw new Error(
          `checkpoint in ${workDir} belongs to a different run (${key}: ${String(saved[key]).slice(0, 16)} vs ${String(identity[key]).slice(0, 16)}); remove ${path.join(workDir, CHECKPOINT_DIR)} to start over`,
        );
      }
    }
    if (checkpoint.state.epochsDone > params.epochs) {
      throw new Error(`checkpoint has ${checkpoint.state.epochsDone} epochs, more than the ${params.epochs} asked for`);
    }
    const loaded = await loadModel(checkpoint.modelDir);
    try {
      copyWeights(loaded, model);
    } finally {
      disposeModel(loaded);
    }
    sgd.writeBuffers(checkpoint.momentum);
    history = checkpoint.state.history;
    epochsDone = checkpoint.state.epochsDone;
    lastValScores = checkpoint.state.lastValScores;
    const changed = Object.keys(params).filter(
      (k) => JSON.stringify(checkpoint.state.params[k]) !== JSON.stringify(params[k as keyof TrainParams]),
    );
    log(
      `resuming ${variant} seed ${seed} after epoch ${epochsDone}/${params.epochs}${changed.length ? ` (params changed: ${changed.join(", ")})` : ""}`,
    );
  } else {
    // The state before the first epoch, so a cancel during it still leaves a valid checkpoint and model.
    pending = takeSnapshot(model, sgd, 0, null);
    log(
      `training ${variant} seed ${seed}: ${train.images.length} train / ${val.images.length} val images, ${params.epochs} epochs`,
    );
  }

  const writeCurrentCheckpoint = () =>
    writeCheckpoint(workDir, {
      state: {
        identity,
        params: params,
        epochsDone,
        history,
        rng: { scheme: "mulberry32(combineSeeds(seed, epoch, stream))", seed, nextEpoch: epochsDone },
        lastValScores,
      },
      momentum: sgd.readBuffers(),
      momentumShapes: sgd.buffers.map((b) => b.shape.slice()),
      saveModelTo: async (dir) => {
        await saveModel(model, dir);
      },
    });

  const classWeights = classWeightsFor(params.classWeighting, train.labels);
  if (classWeights)
    log(`class-weighted loss: negative ${classWeights[0].toFixed(3)}, positive ${classWeights[1].toFixed(3)}`);
  const epochSeconds: number[] = [];
  const checkpointModelDir = path.join(workDir, CHECKPOINT_DIR, CHECKPOINT_MODEL_DIR);
  try {
    // Planned with the weights and momentum live, before the first batch, as the memory model assumes.
    const microBatchPlan = planMicroBatches(model, { batchSize: params.batchSize, override: params.microBatch });
    log(`${microBatchPlan.text} (${microBatchPlan.source})`);
    await opts.onPlan?.(microBatchPlan);
    for (let epoch = epochsDone; epoch < params.epochs; epoch++) {
      const started = performance.now();
      const lr = learningRateAt(epoch, { epochs: params.epochs, base: params.learningRate, dropAt: params.lrDropAt });
      const order = epochOrder(train.images.length, seed, epoch);
      const flips = epochFlips(order.length, seed, epoch, params.augment);
      const seenLabels: number[] = [];
      const seenScores: number[] = [];
      let lossSum = 0;
      let trainSeconds = 0;

      for (const { start, end } of batchRanges(order.length, params.batchSize)) {
        if (opts.shouldStop && (await opts.shouldStop())) {
          if (pending) {
            restoreSnapshot(model, sgd, pending);
            epochsDone = pending.epochsDone;
            lastValScores = pending.lastValScores;
            await writeCurrentCheckpoint();
          }
          log(`cancelled during epoch ${epoch + 1}; ${epochsDone} epochs checkpointed`);
          return {
            status: "cancelled",
            epochsDone,
            valAuc: history.at(-1)?.valAuc ?? null,
            roc: lastValScores ? rocCurve(lastValScores, val.labels) : null,
            history,
            microBatchPlan,
            modelDir: checkpointModelDir,
            valScores: lastValScores ?? [],
          };
        }
        const indices = order.slice(start, end);
        const labels = indices.map((i) => train.labels[i]);
        const stepStarted = performance.now();
        const x = imagesToInputTensor(train.images, indices, params.inputSize, flips.slice(start, end));
        const { loss, positive } = trainStep(
          model,
          sgd,
          x,
          labels,
          lr,
          microBatchSizes(indices.length, microBatchPlan.maxMicroBatch),
          classWeights,
        );
        x.dispose();
        const [lossValue] = await loss.data();
        const scores = await positive.data();
        trainSeconds += (performance.now() - stepStarted) / 1000;
        tf.dispose([loss, positive]);
        if (!Number.isFinite(lossValue))
          throw new Error(`loss became ${lossValue} in epoch ${epoch + 1}; try a lower learning rate`);
        lossSum += lossValue * indices.length;
        seenLabels.push(...labels);
        seenScores.push(...scores);
      }

      const valStarted = performance.now();
      lastValScores = await predictPositive(model, val.images, params.inputSize, params.batchSize);
      const valSeconds = (performance.now() - valStarted) / 1000;
      epochsDone = epoch + 1;
      epochSeconds.push((performance.now() - started) / 1000);
      const progress: EpochProgress = {
        epoch: epochsDone,
        epochs: params.epochs,
        loss: lossSum / seenLabels.length,
        trainAuc: aucRoc(seenScores, seenLabels),
        valAuc: val.images.length ? aucRoc(lastValScores, val.labels) : null,
        imagesPerSecond: trainSeconds > 0 ? seenLabels.length / trainSeconds : 0,
        valImagesPerSecond: valSeconds > 0 && val.images.length > 0 ? val.images.length / valSeconds : null,
        etaSeconds: remainingSeconds(epochSeconds, params.epochs - epochsDone),
        learningRate: lr,
      };
      history = [...history, progress];
      log(
        `epoch ${epochsDone}/${params.epochs} lr ${lr.toPrecision(3)} loss ${progress.loss.toFixed(4)} train AUC ${progress.trainAuc?.toFixed(3) ?? "-"} val AUC ${progress.valAuc?.toFixed(3) ?? "-"} ${progress.imagesPerSecond.toFixed(1)} img/s`,
      );

      disposeSnapshot(pending);
      pending = null;
      if (epochsDone % params.checkpointEvery === 0 || epochsDone === params.epochs) {
        await writeCurrentCheckpoint();
      } else {
        pending = takeSnapshot(model, sgd, epochsDone, lastValScores);
      }
      await opts.onEpoch?.(progress);
    }

    if (lastValScores === null)
      lastValScores = await predictPositive(model, val.images, params.inputSize, params.batchSize);
    if (pending) {
      // Only possible when a fresh run has 0 epochs to do, which the schema forbids; kept for safety.
      await writeCurrentCheckpoint();
    }
    const modelDir = path.join(workDir, FINAL_MODEL_DIR);
    await saveModelAtomically(model, modelDir);
    const valAuc = val.images.length ? aucRoc(lastValScores, val.labels) : null;
    log(`finished ${variant} seed ${seed}: val AUC ${valAuc?.toFixed(4) ?? "-"}; model in ${modelDir}`);
    return {
      status: "completed",
      epochsDone,
      valAuc,
      roc: val.images.length ? rocCurve(lastValScores, val.labels) : null,
      history,
      microBatchPlan,
      modelDir,
      valScores: lastValScores,
    };
  } finally {
    disposeSnapshot(pending);
    sgd.dispose();
    disposeModel(model);
  }
}
