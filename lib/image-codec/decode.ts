// Decoding of image bytes into fixed-size square RGB (and masks into 0/1). No file-system access: callers pass
// bytes, so the same code serves folder imports, uploads, training and heat-map jobs.
//
// Imported files (any format of formats.ts) are made square in one of two ways, chosen per dataset:
// - "cover" (the default): a centre crop (scale the short side to `size`, cut the overflow of the long side equally
//   on both ends), i.e. torchvision's Resize(size) + CenterCrop(size) that ImageNet-style ResNet pipelines use. The
//   cost is that a few percent at the ends of the long side are lost on non-square images (imports count the masks
//   that touch a cut edge, i.e. lesions that may have lost a part).
// - "contain": the whole image, scaled so its long side is `size` and padded with black. Nothing is lost, but the
//   padding bars vary with the source's aspect ratio, which can differ by class or hospital and then becomes a
//   shortcut for the model; choose it when lesions reach the image borders.
// Never stretching, because stretching changes shape and asymmetry is itself a diagnostic cue (dermoscopy's ABCD rule).
//
// Stored images are the square PNGs an import wrote (encode-png.ts); they are only resized, to a run's input size
// or a heat-map's display size.
import sharp, { type Sharp } from "sharp";
import { openImage, type VoiWindow } from "./formats";

export type ImageFit = "cover" | "contain";

export interface DecodeOptions {
  /** How a non-square image becomes square; "cover" by default. */
  fit?: ImageFit;
  /** DICOM: VOI window instead of the file's own. */
  window?: VoiWindow;
}

export interface DecodedImage {
  /** Interleaved RGB, size * size * 3. */
  rgb: Uint8Array;
  /** Size of the stored image after EXIF orientation, before resizing. */
  width: number;
  height: number;
  format: string;
}

export async function readImageHeader(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Promise<{ width: number; height: number; format: string }> {
  const { width, height, format } = await openImage(bytes, { window: options.window });
  return { width, height, format };
}

/**
 * Any supported image (grey, grey+alpha, RGB, RGBA, 8 or 16 bit, any size) to size x size sRGB bytes.
 * Transparency is flattened onto black, the background of most medical images (MRI, CT, dermoscope vignette).
 */
export async function decodeToSquareRgb(
  bytes: Uint8Array,
  size: number,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  const { pipeline, ...header } = await openImage(bytes, { window: options.window });
  const { data, info } = await pipeline()
    .flatten({ background: "#000000" })
    .resize(size, size, { fit: options.fit ?? "cover", position: "centre", background: "#000000" })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size || data.length !== size * size * 3) {
    throw new Error(`unexpected decoded layout ${info.width}x${info.height}x${info.channels}`);
  }
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...header };
}

/** Longest side of a display copy: enough for a full-screen comparison view, small enough to serve quickly. */
export const DISPLAY_MAX_SIDE = 1024;

/**
 * The display copy of an imported file: the same square as the model-size copy (decodeToSquareRgb with the same
 * options: the cover crop or the contain padding, the same DICOM window), so a heat-map lies on it exactly, at the
 * source's own resolution up to DISPLAY_MAX_SIDE. Null when that would be no larger than the model-size copy (a
 * small source): readers then see the model-size copy.
 */
export async function decodeDisplayCopy(
  bytes: Uint8Array,
  modelSize: number,
  options: DecodeOptions = {},
): Promise<{ rgb: Uint8Array; side: number } | null> {
  const { width, height } = await readImageHeader(bytes, options);
  // Cover keeps the short side's pixels; contain pads the long side's.
  const sourceSide = (options.fit ?? "cover") === "cover" ? Math.min(width, height) : Math.max(width, height);
  const side = Math.min(DISPLAY_MAX_SIDE, sourceSide);
  if (side <= modelSize) return null;
  return { rgb: (await decodeToSquareRgb(bytes, side, options)).rgb, side };
}

/**
 * A mask image (any format; lesion = bright) to size x size values 0/1, cropped or padded exactly like the image
 * so the two stay aligned. Nearest-neighbour keeps the edge hard. Lesion is luminance >= half the mask's maximum,
 * so 0/255 and 0/1 masks both work; `binary` is false when the mask held more than two values (a soft or
 * anti-aliased mask that the threshold changed), which imports report. `touchesCropEdge`: with "cover" on a
 * non-square mask, lesion reaches a side where the crop cut the image (part of it may be lost).
 */
export async function decodeMaskToSquare(
  bytes: Uint8Array,
  size: number,
  options: DecodeOptions = {},
): Promise<{ mask: Uint8Array; width: number; height: number; binary: boolean; touchesCropEdge: boolean }> {
  const fit = options.fit ?? "cover";
  const { pipeline, width, height } = await openImage(bytes, { window: options.window });
  const { data, info } = await pipeline()
    .flatten({ background: "#000000" })
    .resize(size, size, { fit, position: "centre", kernel: "nearest", background: "#000000" })
    .toColourspace("b-w")
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || data.length !== size * size) {
    throw new Error(`unexpected decoded mask layout ${info.width}x${info.height}x${info.channels}`);
  }
  let max = 0;
  const values = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    if (data[i] > max) max = data[i];
    if (values.size <= 2) values.add(data[i]);
  }
  const threshold = max <= 1 ? 1 : Math.max(1, Math.ceil(max / 2));
  const mask = new Uint8Array(size * size);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i] >= threshold ? 1 : 0;
  const binary = values.size <= 2 && [...values].every((v) => v === 0 || v === max);
  const touchesCropEdge =
    fit === "cover" && width !== height && (await lesionReachesCrop(pipeline, size, width, height, threshold));
  return { mask, width, height, binary, touchesCropEdge };
}

/**
 * With "cover" on a non-square mask: lesion on or beyond a line where the centre crop cuts (so part of it, or all
 * of it, is not in the stored square). Checked on the mask scaled to the crop's scale, before cropping.
 */
async function lesionReachesCrop(
  pipeline: () => Sharp,
  size: number,
  width: number,
  height: number,
  threshold: number,
): Promise<boolean> {
  const landscape = width > height;
  const long = Math.round((landscape ? width / height : height / width) * size);
  const { data } = await pipeline()
    .flatten({ background: "#000000" })
    .resize(landscape ? long : size, landscape ? size : long, { fit: "fill", kernel: "nearest" })
    .toColourspace("b-w")
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cut = Math.floor((long - size) / 2);
  for (let along = 0; along < long; along++) {
    if (along > cut && along < cut + size - 1) continue; // inside the crop, off its edges
    for (let across = 0; across < size; across++) {
      const i = landscape ? across * long + along : along * size + across;
      if (data[i] >= threshold) return true;
    }
  }
  return false;
}

/** Decodes a stored PNG to interleaved RGB at `side` x `side`; resizes only when the stored side differs. */
export async function decodeRgb(png: Uint8Array, side: number): Promise<Uint8Array> {
  let pipeline = sharp(png).removeAlpha().toColourspace("srgb");
  const meta = await sharp(png).metadata();
  if (meta.width !== side || meta.height !== side)
    pipeline = pipeline.resize(side, side, { fit: "fill", kernel: "lanczos3" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes a stored mask PNG (0/255) to 0/1 at `side` x `side` (nearest neighbour keeps it binary). */
export async function decodeMask(png: Uint8Array, side: number): Promise<Uint8Array> {
  const { data } = await sharp(png)
    .extractChannel(0)
    .resize(side, side, { fit: "fill", kernel: "nearest" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(side * side);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i] >= 128 ? 1 : 0;
  return mask;
}
