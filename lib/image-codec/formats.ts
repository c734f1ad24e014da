// The image formats Focus reads, one entry per decoder. Each entry names the file extensions an import treats as
// images of that format, recognises its bytes, and opens them as an upright sharp pipeline plus the upright size;
// everything after that (flattening, resizing, colour space) is shared by every format (decode.ts).
//
// A format libvips cannot read (BMP, DICOM) is one more entry placed before the libvips one: its `open` parses the
// pixels and hands them to sharp as raw input (`sharp(pixels, { raw: { width, height, channels } })`).
import * as bmp from "bmp-ts";
import sharp, { type Sharp } from "sharp";
import { decodeDicom, hasDicomPreamble, type VoiWindow } from "./dicom";

export { UnsupportedImageError, type VoiWindow } from "./dicom";

/** Per-import choices some formats need. */
export interface OpenOptions {
  /** DICOM: the VOI window to apply instead of the file's first one. */
  window?: VoiWindow;
}

export interface OpenedImage {
  /** Size after EXIF orientation, before any resizing. */
  width: number;
  height: number;
  /** Format name as stored with each imported image (sharp's names for what libvips reads). */
  format: string;
  /** A fresh pipeline over the upright pixels; call once per output. */
  pipeline: () => Sharp;
}

export interface ImageFormat {
  /** File extensions (lower case, with the dot) that an import considers images of this format. */
  extensions: readonly string[];
  /** True when the bytes are this format's (a signature test). */
  recognises: (bytes: Uint8Array) => boolean;
  /** Reads the header and makes the pipeline; throws when the bytes are not a readable image. */
  open: (bytes: Uint8Array, options: OpenOptions) => Promise<OpenedImage>;
}

/** How sharp should treat decoder warnings: "warning" rejects truncated or damaged files instead of
 *  silently filling the missing part with grey, which would put artefacts in a clinical image. */
const FAIL_ON = "warning" as const;

/**
 * BMP, which libvips does not read, through bmp-ts (pure TypeScript: 1 to 32 bits, RLE, bit fields; dermoscopy
 * sets such as PH2 ship BMP images and masks). Its alpha byte is not meaningful for 24-bit files, so only RGB
 * goes on to sharp.
 */
const BMP: ImageFormat = {
  extensions: [".bmp"],
  recognises: (bytes) => bytes.length > 26 && bytes[0] === 0x42 && bytes[1] === 0x4d,
  // eslint-disable-next-line @typescript-eslint/require-await -- open() is async: a bad BMP rejects, never throws
  async open(bytes) {
    const decoded = bmp.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { toRGBA: true });
    const { width, height } = decoded;
    if (!width || !height || decoded.data.length < width * height * 4)
      throw new Error("BMP header and pixel data do not agree");
    const rgb = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      rgb[3 * i] = decoded.data[4 * i];
      rgb[3 * i + 1] = decoded.data[4 * i + 1];
      rgb[3 * i + 2] = decoded.data[4 * i + 2];
    }
    return { width, height, format: "bmp", pipeline: () => sharp(rgb, { raw: { width, height, channels: 3 } }) };
  },
};

/** DICOM through dcmjs (dicom.ts): first frame, rescaled, windowed, 8 bits; no attribute leaves the decoder. */
const DICOM: ImageFormat = {
  extensions: [".dcm", ".dicom"],
  recognises: hasDicomPreamble,
  async open(bytes, options) {
    const { width, height, channels, pixels } = await decodeDicom(bytes, options.window);
    return { width, height, format: "dicom", pipeline: () => sharp(pixels, { raw: { width, height, channels } }) };
  },
};

/** PNG, JPEG, TIFF and WebP through libvips, which also identifies the real format from the bytes. */
const LIBVIPS: ImageFormat = {
  extensions: [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"],
  recognises: () => true,
  async open(bytes) {
    const meta = await sharp(bytes, { failOn: FAIL_ON }).metadata();
    if (!meta.width || !meta.height || !meta.format) throw new Error("no image dimensions in header");
    // EXIF orientations 5-8 swap the axes once the image is turned upright.
    const swapped = (meta.orientation ?? 1) >= 5;
    return {
      width: swapped ? meta.height : meta.width,
      height: swapped ? meta.width : meta.height,
      format: meta.format,
      pipeline: () => sharp(bytes, { failOn: FAIL_ON }).rotate(), // rotate(): apply the EXIF orientation
    };
  },
};

/** In the order they are tried: the first format that recognises the bytes decodes them. */
export const IMAGE_FORMATS: readonly ImageFormat[] = [BMP, DICOM, LIBVIPS];

/** Every extension an import accepts as an image file. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(IMAGE_FORMATS.flatMap((f) => f.extensions));

/** The accepted extensions for messages: ".png, .jpg or .jpeg". */
export function describeImageExtensions(): string {
  const all = [...IMAGE_EXTENSIONS];
  return all.length === 1 ? all[0] : `${all.slice(0, -1).join(", ")} or ${all.at(-1)}`;
}

export function openImage(bytes: Uint8Array, options: OpenOptions = {}): Promise<OpenedImage> {
  const format = IMAGE_FORMATS.find((f) => f.recognises(bytes));
  if (format === undefined) return Promise.reject(new Error("not an image format Focus reads"));
  return format.open(bytes, options);
}

/** Files without an image extension are images only when their bytes say so (DICOM archives name files by UID or not at all). */
export function isImageWithoutExtension(head: Uint8Array): boolean {
  return hasDicomPreamble(head);
}
