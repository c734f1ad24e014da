/** The attributes TF.js passes to its Conv2D-family kernels, and the geometry they imply (NHWC, dilation 1). */
import * as tf from "@tensorflow/tfjs";

export type Shape4 = [number, number, number, number];

export interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  dilations?: number | [number, number];
}

export function isUnitDilation(d: ConvAttrs["dilations"]): boolean {
  return d === undefined || (Array.isArray(d) ? d.every((v) => v === 1) : d === 1);
}

export function convInfo(inShape: Shape4, filterShape: Shape4, attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}
