// Heat-maps as PNGs: the jet-coloured map alone and blended over the image, encoded without metadata and with
// deterministic bytes (lib/image-codec/encode-png.ts).
import { encodeRgbPng } from "@/lib/image-codec/encode-png";
import { blendHeatmapOverRgb, heatmapToJetRgb } from "./colour-map";

function checkSquareSide(pixels: number, side: number, what: string): void {
  if (!Number.isInteger(side) || side <= 0 || side * side !== pixels) {
    throw new RangeError(`${what} has ${pixels} pixels, which is not ${side} x ${side}`);
  }
}

/** The bare jet-coloured map of a square heat-map (values in [0, 1], side x side). */
export async function renderHeatmapPng(heat: Float32Array, side: number): Promise<Buffer> {
  checkSquareSide(heat.length, side, "heat-map");
  return encodeRgbPng(heatmapToJetRgb(heat), side, side);
}

/** The jet map blended over the (already resized) RGB image of the same side; alpha is the map's weight. */
export async function renderHeatmapOverlayPng(
  rgb: Uint8Array,
  heat: Float32Array,
  side: number,
  alpha = 0.5,
): Promise<Buffer> {
  checkSquareSide(heat.length, side, "heat-map");
  return encodeRgbPng(blendHeatmapOverRgb(rgb, heat, alpha), side, side);
}
