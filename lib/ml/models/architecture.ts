/**
 * Shape of the networks studied by Focus, independent of any tensor library so that the analytic parameter
 * counter and the model builder share one source of truth.
 *
 * ResNet-18: He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Table 1,
 * in the torchvision layout (stride on the 3x3 conv, 1x1 conv + BN projection on shape change).
 */

export type Variant = "baseline" | "se" | "cbam" | "gc";
export const VARIANTS: readonly Variant[] = ["baseline", "se", "cbam", "gc"] as const;

/** Channels of the stem and of the four stages at width 1 (He et al. 2016, Table 1). */
export const STEM_CHANNELS = 64;
export const STAGE_CHANNELS: readonly number[] = [64, 128, 256, 512];
export const BLOCKS_PER_STAGE = 2;
export const INPUT_CHANNELS = 3;

/** Reduction ratio r of SE (Hu et al. 2018), CBAM (Woo et al. 2018) and GC (Cao et al. 2019): all use 16. */
export const REDUCTION_RATIO = 16;

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

/** Channel count scaled by the width multiplier; never 0 so that very thin demo networks still build. */
export function scaledChannels(channels: number, width: number): number {
  if (!(width > 0) || !Number.isFinite(width)) throw new Error(`width must be a positive number, got ${width}`);
  return Math.max(1, Math.round(channels * width));
}

/** Hidden units of the attention bottleneck: floor(C / r) as in the official code (`channel // reduction`), at least 1. */
export function hiddenUnits(channels: number, ratio = REDUCTION_RATIO): number {
  return Math.max(1, Math.floor(channels / ratio));
}

export interface BlockSpec {
  /** torchvision-style name prefix, e.g. "layer2_0". */
  name: string;
  stage: number;
  index: number;
  inChannels: number;
  outChannels: number;
  stride: number;
  /** 1x1 conv + BN projection on the shortcut (torchvision: stride != 1 or channel change). */
  projection: boolean;
}

/** The eight BasicBlocks of ResNet-18 at the given width. */
export function resnet18Blocks(width: number): BlockSpec[] {
  const blocks: BlockSpec[] = [];
  let inChannels = scaledChannels(STEM_CHANNELS, width);
  STAGE_CHANNELS.forEach((base, s) => {
    const outChannels = scaledChannels(base, width);
    for (let b = 0; b < BLOCKS_PER_STAGE; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      blocks.push({
        name: `layer${s + 1}_${b}`,
        stage: s + 1,
        index: b,
        inChannels,
        outChannels,
        stride,
        projection: stride !== 1 || inChannels !== outChannels,
      });
      inChannels = outChannels;
    }
  });
  return blocks;
}
