// PNG encoding with sharp. sharp writes no metadata unless asked (withMetadata / keepMetadata), and raw input
// carries none; fixed compression settings keep the bytes deterministic so that content-addressed storage names
// stay stable across runs.
import sharp from "sharp";

const PNG_OPTIONS = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;

/** Encodes interleaved RGB bytes (width * height * 3) as a PNG without metadata chunks. */
export async function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (rgb.length !== width * height * 3)
    throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
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
