// Grad-CAM maps of a batch of stored images, at display resolution. Shared by the heat-map jobs and the
// database-free `focus gradcam` command.
import * as tf from "@tensorflow/tfjs";
import { gradCam, type GradCamResult } from "@/lib/ml/gradcam/gradcam";
import { checkInputNormalisation, imagesToInputTensor } from "@/lib/ml/models/preprocess";

/** Square input side of a loaded model (NHWC input [null, side, side, 3]). */
export function modelInputSize(model: tf.LayersModel): number {
  const shape = model.inputs[0].shape;
  const side = shape[1];
  if (typeof side !== "number" || side !== shape[2] || shape[3] !== 3)
    throw new Error(`expected a square RGB model input, got ${JSON.stringify(shape)}`);
  return side;
}

/**
 * Grad-CAM of images already at the model's input size (uint8 RGB), with the given target classes; the maps are
 * `outputSize` on a side (default: the input size).
 */
export async function gradCamOfImages(
  model: tf.LayersModel,
  images: readonly Uint8Array[],
  targets?: readonly number[],
  outputSize?: number,
): Promise<GradCamResult[]> {
  const side = modelInputSize(model);
  checkInputNormalisation(model);
  const x = imagesToInputTensor(
    images,
    images.map((_, i) => i),
    side,
  );
  try {
    return await gradCam(model, x, { targets, outputSize });
  } finally {
    x.dispose();
  }
}
