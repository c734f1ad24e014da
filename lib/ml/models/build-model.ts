/**
 * ResNet-18 (He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016) in the
 * torchvision layout, NHWC, optionally with an attention module in every BasicBlock after the second BN
 * and before the residual addition, the placement of SE (Hu et al. 2018), CBAM (Woo et al. 2018) and
 * GCNet (Cao et al. 2019) in their ResNet experiments and in Rao et al. (ICCV-W 2021).
 *
 * Padding follows torchvision exactly (symmetric 3 for the 7x7/2 stem, symmetric 1 for 3x3/2 convs and the
 * max-pool); TF's 'same' would pad asymmetrically (0 before, 1 after) for even inputs and shift every map.
 */
import * as tf from "@tensorflow/tfjs";
import {
  INPUT_CHANNELS,
  STAGE_CHANNELS,
  STEM_CHANNELS,
  VARIANTS,
  resnet18Blocks,
  scaledChannels,
  type BlockSpec,
  type Variant,
} from "./architecture";
import type { AttentionBuilder } from "./attention/attention-block";
import { cbamBlock } from "./attention/cbam";
import { gcBlock } from "./attention/gc";
import { seBlock } from "./attention/se";
import { SeedSequence, heNormalFanOut, torchLinearDefault } from "./init";
import { ScaleShiftBatchNorm } from "./layers/scale-shift-batch-norm";

export { VARIANTS, type Variant } from "./architecture";
export { modelSummary, type ModelSummary } from "./param-count";

/** Name of the last stage's output (after its final ReLU), the Grad-CAM target layer. */
export const GRADCAM_LAYER = "layer4";

/** torchvision's BatchNorm2d: eps 1e-5, momentum 0.1 (= 0.9 in the Keras convention). */
const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-5;

const ATTENTION: Record<Variant, AttentionBuilder | null> = {
  baseline: null,
  se: seBlock,
  cbam: cbamBlock,
  gc: gcBlock,
};

export interface BuildModelOptions {
  variant: Variant;
  /** Channel multiplier; 1 = the paper. Channels round to the nearest integer, at least 1. */
  width?: number;
  /** Square input side in pixels; 224 = the paper. */
  inputSize?: number;
  numClasses?: number;
  /** Seed of every initialiser; without one the weights are random (each run differs). */
  seed?: number;
}

type Sym = tf.SymbolicTensor;

function apply(layer: tf.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

/** Conv (no bias, He fan_out init) with torchvision's symmetric zero padding. */
function convNoBias(x: Sym, filters: number, kernel: number, stride: number, name: string, seeds: SeedSequence): Sym {
  const pad = Math.floor(kernel / 2);
  // For stride 1 and odd kernels 'same' already pads symmetrically; otherwise pad explicitly and go 'valid'.
  const symmetricSame = stride === 1 && kernel % 2 === 1;
  const input =
    symmetricSame || pad === 0 ? x : apply(tf.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }), x);
  return apply(
    tf.layers.conv2d({
      filters,
      kernelSize: kernel,
      strides: stride,
      padding: symmetricSame ? "same" : "valid",
      useBias: false,
      kernelInitializer: heNormalFanOut(kernel, kernel, filters, seeds.next()),
      name,
    }),
    input,
  );
}

function batchNorm(x: Sym, name: string): Sym {
  return apply(new ScaleShiftBatchNorm({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name }), x);
}

function relu(x: Sym, name: string): Sym {
  return apply(tf.layers.reLU({ name }), x);
}

/** torchvision BasicBlock (expansion 1) with the attention module between bn2 and the addition. */
function basicBlock(
  x: Sym,
  spec: BlockSpec,
  attention: AttentionBuilder | null,
  seeds: SeedSequence,
  outName: string,
): Sym {
  const p = spec.name;
  let out = convNoBias(x, spec.outChannels, 3, spec.stride, `${p}_conv1`, seeds);
  out = batchNorm(out, `${p}_bn1`);
  out = relu(out, `${p}_relu1`);
  out = convNoBias(out, spec.outChannels, 3, 1, `${p}_conv2`, seeds);
  out = batchNorm(out, `${p}_bn2`);
  if (attention) out = attention(out, spec.outChannels, p, seeds);
  let shortcut = x;
  if (spec.projection) {
    shortcut = convNoBias(x, spec.outChannels, 1, spec.stride, `${p}_downsample_conv`, seeds);
    shortcut = batchNorm(shortcut, `${p}_downsample_bn`);
  }
  const sum = apply(tf.layers.add({ name: `${p}_add` }), [out, shortcut]);
  return relu(sum, outName);
}

export function buildModel(opts: BuildModelOptions): tf.LayersModel {
  const { variant, width = 1, inputSize = 224, numClasses = 2 } = opts;
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant "${variant}"`);
  if (!Number.isInteger(inputSize) || inputSize < 1)
    throw new Error(`inputSize must be a positive integer, got ${inputSize}`);
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new Error(`numClasses must be a positive integer, got ${numClasses}`);
  const seed = opts.seed ?? Math.floor(Math.random() * 2147483647);
  const seeds = new SeedSequence(seed);
  const attention = ATTENTION[variant];

  const input = tf.input({ shape: [inputSize, inputSize, INPUT_CHANNELS], name: "input" });
  let x = convNoBias(input, scaledChannels(STEM_CHANNELS, width), 7, 2, "conv1", seeds);
  x = batchNorm(x, "bn1");
  x = relu(x, "relu");
  // Max-pool 3x3/2 with torchvision's padding 1: zero padding is exact here because the input is a ReLU
  // output (>= 0), so a padded 0 never exceeds the window's real maximum.
  x = apply(tf.layers.zeroPadding2d({ padding: 1, name: "maxpool_pad" }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "valid", name: "maxpool" }), x);

  const blocks = resnet18Blocks(width);
  blocks.forEach((spec, i) => {
    const lastOfStage = i === blocks.length - 1 || blocks[i + 1].stage !== spec.stage;
    // The stage output carries the stage's name (layer1..layer4), so Grad-CAM can find "layer4".
    x = basicBlock(x, spec, attention, seeds, lastOfStage ? `layer${spec.stage}` : `${spec.name}_relu2`);
  });

  const features = scaledChannels(STAGE_CHANNELS[STAGE_CHANNELS.length - 1], width);
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: "avgpool" }), x);
  const fcSeed = seeds.next();
  const logits = apply(
    tf.layers.dense({
      units: numClasses,
      kernelInitializer: torchLinearDefault(features, fcSeed),
      biasInitializer: torchLinearDefault(features, fcSeed + 1),
      name: "fc",
    }),
    pooled,
  );
  return tf.model({ inputs: input, outputs: logits, name: `resnet18_${variant}` });
}
