/**
 * The custom layers of Focus's models. Importing this module registers them with
 * tf.serialization, which loading a saved model needs.
 */
export { ScaleShiftBatchNorm, scaleShift, type ScaleShiftBatchNormArgs } from "./scale-shift-batch-norm";
export { BroadcastMultiply, BroadcastAdd } from "./broadcast-merge";
export { ChannelPool } from "./channel-pool";
export { AttentionPool } from "./attention-pool";
export { NonBatchLayerNorm, type NonBatchLayerNormArgs } from "./layer-norm";
