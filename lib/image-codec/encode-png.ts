// PNG (and display-copy JPEG) encoding with sharp. sharp writes no metadata unless asked (withMetadata / keepMetadata), and raw input
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

/**
 * A display copy (interleaved RGB) as a baseline JPEG without metadata: quality 90 without chroma subsampling is
 * visually lossless for photographs and radiographs at a tenth of a PNG's size, which matters for a 1024 px
 * picture fetched on every case. Deterministic bytes, like the PNGs.
 */
export async function encodeDisplayJpeg(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (rgb.length !== width * height * 3)
    throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90, chromaSubsampling: "4:4:4", mozjpeg: false })
    .toBuffer();
}
