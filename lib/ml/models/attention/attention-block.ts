import type * as tf from "@tensorflow/tfjs";
import type { SeedSequence } from "../init";

/**
 * Adds one attention module to a functional graph: takes the BasicBlock's second-BN output
 * [N,H,W,C] and returns a tensor of the same shape. Layer names start with `prefix`.
 */
export type AttentionBuilder = (
  x: tf.SymbolicTensor,
  channels: number,
  prefix: string,
  seeds: SeedSequence,
) => tf.SymbolicTensor;

/** Weights of the named layer as tensors (owned by the model: do not dispose). */
export function layerWeights(model: tf.LayersModel, name: string): tf.Tensor[] {
  return model.getLayer(name).getWeights();
}
