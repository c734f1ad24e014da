// Decoding of image bytes into fixed-size square RGB (and masks into 0/1), with sharp. No file-system access:
// callers pass bytes, so the same code serves folder imports, uploads and heat-map jobs.
//
// Resizing: "cover" with a centre crop (scale the short side to `size`, cut the overflow of the long side
// equally on both ends), i.e. torchvision's Resize(size) + CenterCrop(size) that ImageNet-style ResNet
// pipelines use. Not stretching, because stretching changes shape and asymmetry is itself a diagnostic cue
// (dermoscopy's ABCD rule); not letter-boxing, because the padding bars would vary with the source's aspect
// ratio, which can differ by class or hospital and then becomes a shortcut for the model. The cost is that a
// few percent at the ends of the long side are lost on non-square images.
import sharp from "sharp";

export interface DecodedImage {
  /** Interleaved RGB, size * size * 3. */
  rgb: Uint8Array;
  /** Size of the stored image after EXIF orientation, before resizing. */
  width: number;
  height: number;
  format: string;
}

/** How sharp should treat decoder warnings: "warning" rejects truncated or damaged files instead of
 *  silently filling the missing part with grey, which would put artefacts in a clinical image. */
const FAIL_ON = "warning" as const;

export async function readImageHeader(bytes: Uint8Array): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes, { failOn: FAIL_ON }).metadata();
  if (!meta.width || !meta.height || !meta.format) throw new Error("no image dimensions in header");
  // EXIF orientations 5-8 swap the axes once the image is turned upright.
  const swapped = (meta.orientation ?? 1) >= 5;
  return { width: swapped ? meta.height : meta.width, height: swapped ? meta.width : meta.height, format: meta.format };
}

/**
 * Any supported image (grey, grey+alpha, RGB, RGBA, 8 or 16 bit, any size) to size x size sRGB bytes.
 * Transparency is flattened onto black, the background of most medical images (MRI, CT, dermoscope vignette).
 */
export async function decodeToSquareRgb(bytes: Uint8Array, size: number): Promise<DecodedImage> {
  const header = await readImageHeader(bytes);
  const { data, info } = await sharp(bytes, { failOn: FAIL_ON })
    .rotate() // apply EXIF orientation
    .flatten({ background: "#000000" })
    .resize(size, size, { fit: "cover", position: "centre" })
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size || data.length !== size * size * 3) {
    throw new Error(`unexpected decoded layout ${info.width}x${info.height}x${info.channels}`);
  }
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...header };
}

/**
 * A mask image (any format; lesion = bright) to size x size values 0/1, cropped exactly like the image so the
 * two stay aligned. Nearest-neighbour keeps the edge hard; luminance >= 128 counts as lesion (white on black).
 */
export async function decodeMaskToSquare(bytes: Uint8Array, size: number): Promise<{ mask: Uint8Array; width: number; height: number }> {
  const header = await readImageHeader(bytes);
  const { data, info } = await sharp(bytes, { failOn: FAIL_ON })
    .rotate()
    .flatten({ background: "#000000" })
    .resize(size, size, { fit: "cover", position: "centre", kernel: "nearest" })
    .toColourspace("b-w")
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || data.length !== size * size) {
    throw new Error(`unexpected decoded mask layout ${info.width}x${info.height}x${info.channels}`);
  }
  const mask = new Uint8Array(size * size);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i] >= 128 ? 1 : 0;
  return { mask, width: header.width, height: header.height };
}
