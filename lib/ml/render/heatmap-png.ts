// PNG encoding of images and heat-maps with sharp. sharp writes no metadata unless asked (withMetadata /
// keepMetadata), and raw input carries none; fixed compression settings keep the bytes deterministic so that
// content-addressed storage names stay stable across runs.
import sharp from "sharp";
import { blendHeatmapOverRgb, heatmapToJetRgb } from "./colour-map";

const PNG_OPTIONS = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;

function checkSquareSide(pixels: number, side: number, what: string): void {
  if (!Number.isInteger(side) || side <= 0 || side * side !== pixels) {
    throw new RangeError(`${what} has ${pixels} pixels, which is not ${side} x ${side}`);
  }
}

/** Encodes interleaved RGB bytes (width * height * 3) as a PNG without metadata chunks. */
export async function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (rgb.length !== width * height * 3) throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } })
    .png(PNG_OPTIONS)
    .toBuffer();
}

/** Encodes one byte per pixel as a grayscale PNG (used for lesion masks, 0/1 scaled to 0/255 by the caller). */
export async function encodeGrayPng(gray: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (gray.length !== width * height) throw new RangeError(`expected ${width * height} bytes, got ${gray.length}`);
  return sharp(Buffer.from(gray.buffer, gray.byteOffset, gray.byteLength), { raw: { width, height, channels: 1 } })
    .toColourspace("b-w")
    .png(PNG_OPTIONS)
    .toBuffer();
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
