/**
 * The models' input pre-processing, the counterpart of Keras applications' `preprocess_input`: every consumer of
 * a model (training, validation, Grad-CAM, inference) builds its input here, so they all feed the network what
 * it was trained on.
 *
 * Pixels are scaled to [0, 1], then per channel (x - mean) / std with the ImageNet statistics torchvision's models
 * use (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225), as in the paper's PyTorch pipeline. Fixed (not
 * estimated per data set), and recorded in each trained model (`INPUT_NORMALISATION_RECORD`, stored in model.json)
 * so that a model fed differently is refused (`checkInputNormalisation`).
 */
import * as tf from "@tensorflow/tfjs";

export const INPUT_NORMALISATION = {
  mean: [0.485, 0.456, 0.406] as const,
  std: [0.229, 0.224, 0.225] as const,
} as const;

/** How a model's metadata records its input normalisation (model.json, userDefinedMetadata.focus). */
export interface InputNormalisationRecord {
  scale: "x / 255";
  mean: readonly number[];
  std: readonly number[];
}

export const INPUT_NORMALISATION_RECORD: InputNormalisationRecord = {
  scale: "x / 255",
  mean: INPUT_NORMALISATION.mean,
  std: INPUT_NORMALISATION.std,
};

/** value -> normalised float for each channel, so building a batch is a table look-up per byte. */
const LOOKUP: Float32Array[] = INPUT_NORMALISATION.mean.map((mean, c) => {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v / 255 - mean) / INPUT_NORMALISATION.std[c];
  return table;
});

/**
 * Writes `images[indices[k]]` (interleaved RGB, size*size*3) as NHWC floats into one tensor, mirroring
 * left-right the ones with `flips[k]` set (the training augmentation, done here to avoid a second pass).
 */
export function imagesToInputTensor(
  images: readonly Uint8Array[],
  indices: readonly number[],
  size: number,
  flips?: readonly boolean[],
): tf.Tensor4D {
  const pixels = size * size * 3;
  const out = new Float32Array(indices.length * pixels);
  const [r, g, b] = LOOKUP;
  indices.forEach((idx, k) => {
    const img = images[idx];
    if (img === undefined) throw new RangeError(`image index ${idx} out of range`);
    if (img.length !== pixels)
      throw new RangeError(`image ${idx} has ${img.length} bytes, expected ${size}x${size}x3 = ${pixels}`);
    const flip = flips?.[k] === true;
    const base = k * pixels;
    for (let y = 0; y < size; y++) {
      const row = y * size;
      for (let x = 0; x < size; x++) {
        const src = (row + (flip ? size - 1 - x : x)) * 3;
        const dst = base + (row + x) * 3;
        out[dst] = r[img[src]];
        out[dst + 1] = g[img[src + 1]];
        out[dst + 2] = b[img[src + 2]];
      }
    }
  });
  return tf.tensor4d(out, [indices.length, size, size, 3], "float32");
}

/**
 * Throws unless the input normalisation a model was trained with (stored by trainRun in model.json's
 * userDefinedMetadata.focus) is the one imagesToInputTensor applies: maps of a model fed differently scaled
 * pixels than it was trained on are quietly wrong. Models without the record (trained elsewhere) pass.
 */
export function checkInputNormalisation(model: tf.LayersModel): void {
  const meta = model.getUserDefinedMetadata() as
    { focus?: { inputNormalisation?: { scale?: unknown; mean?: unknown; std?: unknown } } } | undefined;
  const stored = meta?.focus?.inputNormalisation;
  if (!stored) return;
  const same = (a: unknown, b: readonly number[]) =>
    Array.isArray(a) && a.length === b.length && a.every((v, i) => typeof v === "number" && Math.abs(v - b[i]) < 1e-6);
  if (
    stored.scale !== "x / 255" ||
    !same(stored.mean, INPUT_NORMALISATION.mean) ||
    !same(stored.std, INPUT_NORMALISATION.std)
  ) {
    throw new Error(
      `model was trained with input normalisation ${JSON.stringify(stored)}, but heat-maps use x / 255 with mean ${INPUT_NORMALISATION.mean.join(", ")} and std ${INPUT_NORMALISATION.std.join(", ")}`,
    );
  }
}
