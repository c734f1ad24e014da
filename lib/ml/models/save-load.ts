/**
 * Save and load models as a directory in the TF.js layers format (model.json + binary weight shards),
 * readable by `tf.loadLayersModel` anywhere once the custom layers are registered. tfjs-node's file://
 * handler is unavailable here, so this is a small IOHandler over node:fs.
 *
 * Crash safety (checkpoints): shard names carry a hash of their content, shards are written before
 * model.json, and model.json is replaced by an atomic rename; a crash mid-save therefore leaves the
 * previous model.json pointing at its own, untouched shards. Unreferenced shards are removed afterwards.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic, writeFileSynced } from "../../storage/atomic-write";
import * as tf from "@tensorflow/tfjs";
// Each module registers its custom layers, which deserialisation looks up by class name.
import "./layers/attention-pool";
import "./layers/broadcast-merge";
import "./layers/channel-pool";
import "./layers/layer-norm";
import "./layers/scale-shift-batch-norm";

export const MODEL_JSON = "model.json";
/** The TF.js converter's default shard size. */
const SHARD_BYTES = 4 * 1024 * 1024;
const SHARD_PATTERN = /^weights-[0-9a-f]{16}-shard\d+of\d+\.bin$/;

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

export function fileSystemIOHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error("fileSystemIOHandler saves layers models only (got a binary graph topology)");
      }
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData ? new Uint8Array(toArrayBuffer(artifacts.weightData)) : new Uint8Array(0);
      const hash = createHash("sha256").update(weights).digest("hex").slice(0, 16);
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < shardCount; i++) {
        const name = `weights-${hash}-shard${i + 1}of${shardCount}.bin`;
        await writeFileSynced(path.join(dir, name), weights.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
        paths.push(name);
      }
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.modelInitializer != null) modelJSON.modelInitializer = artifacts.modelInitializer;
      const json = JSON.stringify(modelJSON);
      await writeFileAtomic(path.join(dir, MODEL_JSON), json);
      for (const file of await readdir(dir)) {
        if (SHARD_PATTERN.test(file) && !paths.includes(file))
          await unlink(path.join(dir, file)).catch(() => undefined);
      }
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          modelTopologyBytes: Buffer.byteLength(JSON.stringify(artifacts.modelTopology)),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(artifacts.weightSpecs ?? [])),
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJSON = JSON.parse(await readFile(path.join(dir, MODEL_JSON), "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(path.join(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Writes the model (and, with includeOptimizer, the optimizer state) to `dir`. */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  config?: tf.io.SaveConfig,
): Promise<tf.io.SaveResult> {
  return model.save(fileSystemIOHandler(dir), config);
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemIOHandler(dir));
}
