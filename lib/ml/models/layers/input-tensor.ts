import type * as tf from "@tensorflow/tfjs";

/** tfjs-layers passes a single input either bare or wrapped in a one-element array; accept both. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`expected one input tensor, got ${inputs.length}`);
  return inputs[0];
}

/** Two-input layers receive exactly [x, y]. */
export function pairInput(inputs: tf.Tensor | tf.Tensor[]): [tf.Tensor, tf.Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error("expected two input tensors [x, y]");
  return [inputs[0], inputs[1]];
}

export type LayerShape = (number | null)[];

export function singleShape(shape: LayerShape | LayerShape[]): LayerShape {
  return Array.isArray(shape[0]) ? (shape as LayerShape[])[0] : (shape as LayerShape);
}

export function pairShapes(shape: LayerShape | LayerShape[]): [LayerShape, LayerShape] {
  if (!Array.isArray(shape[0]) || shape.length !== 2) throw new Error("expected the shapes of two inputs");
  return [(shape as LayerShape[])[0], (shape as LayerShape[])[1]];
}
