/**
 * Frees every weight of a LayersModel. `model.dispose()` alone leaves the variables of layers that are
 * applied more than once in the graph (CBAM's shared channel MLP, applied to the average- and max-pooled
 * vectors): tfjs counts one reference per application but the model releases each layer once.
 */
import type * as tf from "@tensorflow/tfjs";

export function disposeModel(model: tf.LayersModel): void {
  const variables = model.weights.map((w) => w.read());
  model.dispose();
  for (const v of variables) if (!v.isDisposed) v.dispose();
}
