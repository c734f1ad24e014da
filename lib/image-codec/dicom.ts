// DICOM (Part 10 files: ".dcm", or any name with "DICM" at byte 128) to 8-bit pixels, through dcmjs's parser.
//
// Only the attributes needed to turn the first frame into display values are read (size, sample layout,
// photometric interpretation, Rescale Slope/Intercept, the VOI window); nothing else of the file (patient, study,
// institution, dates) is ever returned, stored or put into a message. Monochrome images go through the DICOM
// grey-scale pipeline (PS3.3 C.11.2.1.2): stored value -> modality value (rescale) -> VOI window (the one given at
// import, else the file's first, else the image's own range) -> 0..255, inverted for MONOCHROME1 so that bright
// always means dense or bright tissue.
//
// Transfer syntaxes: native little endian (implicit and explicit VR), deflated (dcmjs inflates), JPEG baseline /
// extended 8-bit (libvips' libjpeg, through sharp), JPEG lossless, processes 14 and 14 SV1
// (jpeg-lossless-decoder-js, pure JavaScript), and JPEG-LS, JPEG 2000 and RLE Lossless (dicom-codecs.ts: CharLS and
// OpenJPEG in WebAssembly, RLE by hand), which come back as native bytes and share the native path. Anything else
// (big endian, HTJ2K, MPEG) is refused with an UnsupportedImageError naming the transfer syntax, which imports
// report per file.
import dcmjs from "dcmjs";
import { Decoder as JpegLosslessDecoder } from "jpeg-lossless-decoder-js";
import sharp from "sharp";
import { decodeCodecFrame, isCodecSyntax, type NativeFrame } from "./dicom-codecs";

/** A VOI window in modality units (after rescale), e.g. Hounsfield units for CT. */
export interface VoiWindow {
  center: number;
  width: number;
}

/** A readable file in a form Focus does not decode; imports report it instead of "unreadable". */
export class UnsupportedImageError extends Error {
  override name = "UnsupportedImageError";
}

export interface DicomPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  /** 8-bit, interleaved when channels is 3. */
  pixels: Uint8Array;
}

const PREAMBLE = 128;

/** True for a DICOM Part 10 file: "DICM" after the 128-byte preamble. */
export function hasDicomPreamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE + 4 &&
    bytes[PREAMBLE] === 0x44 &&
    bytes[PREAMBLE + 1] === 0x49 &&
    bytes[PREAMBLE + 2] === 0x43 &&
    bytes[PREAMBLE + 3] === 0x4d
  );
}

const NATIVE_SYNTAXES = new Set([
  "1.2.840.10008.1.2", // implicit VR little endian
  "1.2.840.10008.1.2.1", // explicit VR little endian
  "1.2.840.10008.1.2.1.99", // deflated explicit VR little endian
]);
const JPEG_BASELINE_SYNTAXES = new Set(["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"]);
const JPEG_LOSSLESS_SYNTAXES = new Set(["1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"]);

// dcmjs logs through loglevel; a malformed optional attribute is not worth a console line per file.
dcmjs.log.setLevel("error");

type Elements = Record<string, { vr: string; Value?: unknown[] } | undefined>;

function element(dict: Elements, tag: string): unknown[] | undefined {
  return (dict[tag] ?? dict[tag.toLowerCase()])?.Value;
}

function numberOf(dict: Elements, tag: string): number | undefined {
  const v = element(dict, tag)?.[0];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function textOf(dict: Elements, tag: string): string | undefined {
  const v = element(dict, tag)?.[0];
  return typeof v === "string" ? v.trim() : undefined;
}

function required(value: number | undefined, name: string): number {
  if (value === undefined || !Number.isInteger(value) || value <= 0)
    throw new Error(`DICOM attribute ${name} is missing or invalid`);
  return value;
}

/** Stored values of the first frame, masked to Bits Stored and sign-extended when Pixel Representation is 1. */
function nativeSamples(
  frame: Uint8Array,
  count: number,
  bitsAllocated: number,
  bitsStored: number,
  signed: boolean,
): Int32Array {
  const bytesPer = bitsAllocated / 8;
  if (frame.length < count * bytesPer)
    throw new Error(`DICOM pixel data holds ${frame.length} bytes, the header needs ${count * bytesPer}`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const out = new Int32Array(count);
  const shift = 32 - bitsStored;
  for (let i = 0; i < count; i++) {
    const raw = bytesPer === 1 ? frame[i] : bytesPer === 2 ? view.getUint16(2 * i, true) : view.getUint32(4 * i, true);
    out[i] = signed ? (raw << shift) >> shift : bitsStored >= 32 ? raw : raw & ((1 << bitsStored) - 1);
  }
  return out;
}

/** Rescale, VOI window (linear, PS3.3 C.11.2.1.2.1), 8 bits, MONOCHROME1 inverted. */
export function monochromeTo8Bit(
  stored: ArrayLike<number>,
  rescale: { slope: number; intercept: number },
  window: VoiWindow | undefined,
  invert: boolean,
): Uint8Array {
  const n = stored.length;
  const values = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = stored[i] * rescale.slope + rescale.intercept;
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Without a usable window, the image's own range: no information is clipped.
  const { center, width } =
    window !== undefined && window.width >= 1
      ? window
      : { center: (min + max + 1) / 2, width: Math.max(1, max - min + 1) };
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const y = x <= low ? 0 : x > high ? 255 : width === 1 ? 255 : ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
    const byte = Math.max(0, Math.min(255, Math.round(y)));
    out[i] = invert ? 255 - byte : byte;
  }
  return out;
}

function interleave(frame: Uint8Array, count: number, planar: boolean): Uint8Array {
  if (frame.length < count * 3)
    throw new Error(`DICOM pixel data holds ${frame.length} bytes, the header needs ${count * 3}`);
  if (!planar) return frame.subarray(0, count * 3);
  const out = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    out[3 * i] = frame[i];
    out[3 * i + 1] = frame[count + i];
    out[3 * i + 2] = frame[2 * count + i];
  }
  return out;
}

function ybrFullToRgb(ybr: Uint8Array): Uint8Array {
  const out = new Uint8Array(ybr.length);
  for (let i = 0; i < ybr.length; i += 3) {
    const y = ybr[i];
    const cb = ybr[i + 1] - 128;
    const cr = ybr[i + 2] - 128;
    out[i] = Math.max(0, Math.min(255, Math.round(y + 1.402 * cr)));
    out[i + 1] = Math.max(0, Math.min(255, Math.round(y - 0.344136 * cb - 0.714136 * cr)));
    out[i + 2] = Math.max(0, Math.min(255, Math.round(y + 1.772 * cb)));
  }
  return out;
}

function firstFrame(pixelData: unknown[], frames: number): Uint8Array {
  const first = pixelData[0];
  // Encapsulated frames made of several fragments come as an array of buffers. Without a Basic Offset Table dcmjs
  // cannot tell fragments from frames and gives one element per fragment: in a single-frame file (the usual case,
  // and how many archives split a large JPEG 2000 or JPEG-LS frame) they are all the first frame's.
  const parts = Array.isArray(first)
    ? (first as ArrayBuffer[])
    : frames <= 1 && pixelData.length > 1
      ? (pixelData as ArrayBuffer[])
      : [first as ArrayBuffer];
  if (!parts.every((p) => p instanceof ArrayBuffer)) throw new Error("DICOM pixel data is not readable");
  if (parts.length === 1) return new Uint8Array(parts[0]);
  return new Uint8Array(Buffer.concat(parts.map((p) => new Uint8Array(p))));
}

/**
 * Decodes the first frame of a DICOM file to 8-bit grey (monochrome) or RGB. `window` overrides the file's VOI
 * window. Throws UnsupportedImageError for a transfer syntax or pixel layout Focus does not decode, and an Error
 * (named for what is wrong, never quoting the file's attributes) for a file without pixel data or a broken one.
 */
export async function decodeDicom(bytes: Uint8Array, window?: VoiWindow): Promise<DicomPixels> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let parsed: { meta: Elements; dict: Elements };
  try {
    parsed = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
  } catch (error) {
    throw new Error(
      `not a readable DICOM file (${error instanceof Error ? error.message.split("\n")[0] : "parse error"})`,
      { cause: error },
    );
  }
  const { meta, dict } = parsed;
  const syntax = textOf(meta, "00020010")?.replace(/\0/g, "") ?? "1.2.840.10008.1.2.1";
  const pixelData = element(dict, "7FE00010");
  if (pixelData === undefined || pixelData.length === 0) throw new Error("DICOM file without pixel data");

  const width = required(numberOf(dict, "00280011"), "Columns");
  const height = required(numberOf(dict, "00280010"), "Rows");
  const samplesPerPixel = numberOf(dict, "00280002") ?? 1;
  const photometric = (textOf(dict, "00280004") ?? "MONOCHROME2").toUpperCase();
  const bitsAllocated = numberOf(dict, "00280100") ?? 16;
  const bitsStored = numberOf(dict, "00280101") ?? bitsAllocated;
  const signed = numberOf(dict, "00280103") === 1;
  const planar = numberOf(dict, "00280006") === 1;
  const count = width * height;
  const monochrome = photometric === "MONOCHROME1" || photometric === "MONOCHROME2";
  if (!(monochrome && samplesPerPixel === 1) && !(samplesPerPixel === 3 && bitsAllocated === 8))
    throw new UnsupportedImageError(
      `unsupported DICOM pixel layout (${photometric}, ${samplesPerPixel} sample(s), ${bitsAllocated} bits)`,
    );
  if (![8, 16, 32].includes(bitsAllocated) || bitsStored < 1 || bitsStored > bitsAllocated)
    throw new UnsupportedImageError(`unsupported DICOM bit depth (${bitsAllocated} allocated, ${bitsStored} stored)`);

  const frame = firstFrame(pixelData, numberOf(dict, "00280008") ?? 1);
  let stored: Int32Array | Uint8Array | Uint16Array;
  const native: NativeFrame | undefined = NATIVE_SYNTAXES.has(syntax)
    ? { bytes: frame, planar }
    : isCodecSyntax(syntax)
      ? await decodeCodecFrame(syntax, frame, { width, height, samplesPerPixel, bitsAllocated })
      : undefined;
  if (native !== undefined) {
    if (!monochrome) {
      const rgb = interleave(native.bytes, count, native.planar);
      return { width, height, channels: 3, pixels: photometric === "YBR_FULL" ? ybrFullToRgb(rgb) : rgb };
    }
    stored = nativeSamples(native.bytes, count, bitsAllocated, bitsStored, signed);
  } else if (JPEG_BASELINE_SYNTAXES.has(syntax) && bitsStored <= 8) {
    const jpeg = sharp(frame, { failOn: "warning" });
    // A monochrome image's JPEG may still carry three components; its grey value is the one Focus windows.
    const { data, info } = await (monochrome ? jpeg.toColourspace("b-w") : jpeg)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height)
      throw new Error(`DICOM JPEG frame is ${info.width}x${info.height}, the header says ${width}x${height}`);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!monochrome) {
      if (info.channels !== 3) throw new Error(`DICOM JPEG frame has ${info.channels} channels, expected 3`);
      return { width, height, channels: 3, pixels };
    }
    if (info.channels !== 1) throw new Error(`DICOM JPEG frame has ${info.channels} channels, expected 1`);
    stored = pixels;
  } else if (JPEG_LOSSLESS_SYNTAXES.has(syntax) && monochrome) {
    const decoded = new JpegLosslessDecoder().decode(
      frame.buffer as ArrayBuffer,
      frame.byteOffset,
      frame.byteLength,
      bitsAllocated <= 8 ? 1 : 2,
    );
    if (decoded.length < count)
      throw new Error(`DICOM JPEG lossless frame holds ${decoded.length} samples, the header needs ${count}`);
    const shift = 32 - bitsStored;
    stored = new Int32Array(count);
    for (let i = 0; i < count; i++) stored[i] = signed ? (decoded[i] << shift) >> shift : decoded[i];
  } else {
    throw new UnsupportedImageError(`unsupported transfer syntax ${syntax}`);
  }
  const slope = numberOf(dict, "00281053") ?? 1;
  const intercept = numberOf(dict, "00281052") ?? 0;
  const fileCenter = numberOf(dict, "00281050");
  const fileWidth = numberOf(dict, "00281051");
  const voi =
    window ??
    (fileCenter !== undefined && fileWidth !== undefined ? { center: fileCenter, width: fileWidth } : undefined);
  const pixels = monochromeTo8Bit(
    stored,
    { slope: slope === 0 ? 1 : slope, intercept },
    voi,
    photometric === "MONOCHROME1",
  );
  return { width, height, channels: 1, pixels };
}
