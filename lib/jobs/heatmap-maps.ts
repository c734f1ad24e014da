// Grad-CAM maps of a batch of stored images, at display resolution. Shared by the heat-map jobs and the
// database-free `focus gradcam` command.
import * as tf from "@tensorflow/tfjs";
import { gradCam, type GradCamResult } from "@/lib/ml/gradcam/gradcam";
import { checkInputNormalisation, imagesToInputTensor } from "@/lib/ml/models/preprocess";

/** Square input side of a loaded model (NHWC input [null, side, side, 3]). */
export function modelInputSize(model: tf.LayersModel): number {
  const shape = model.inputs[0].shape;
  const side = shape[1];
  if (typeof side !== "number" || side !== shape[2] || shape[3] !== 3) throw new Error(`expected a square RGB model input, got ${JSON.stringify(shape)}`);
  return side;
}

/**
 * Resizes a [0, 1] map from `from` x `from` to `to` x `to` (bilinear, half-pixel centres like Grad-CAM's own
 * up-sampling) and min-max normalises again so that the hottest pixel stays 1.
 */
export function resizeHeatmap(heat: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return heat;
  const out = tf.tidy(() => {
    const x = tf.tensor4d(heat, [1, from, from, 1]);
    const r = tf.image.resizeBilinear(x, [to, to], false, true);
    const min = tf.min(r);
    return tf.divNoNan(tf.sub(r, min), tf.sub(tf.max(r), min)).reshape([to * to]);
  });
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return Float32Array.from(values);
}

/** Grad-CAM of images already at the model's input size (uint8 RGB), with the given target classes. */
export async function gradCamOfImages(model: tf.LayersModel, images: readonly Uint8Array[], targets?: readonly number[]): Promise<GradCamResult[]> {
  const side = modelInputSize(model);
  checkInputNormalisation(model);
  const x = imagesToInputTensor(images, images.map((_, i) => i), side);
  try {
    return await gradCam(model, x, { targets });
  } finally {
    x.dispose();
  }
}
