// Compressed DICOM frames (JPEG-LS, JPEG 2000, RLE Lossless) back to native pixel bytes, so that dicom.ts sends them
// through the same stored-value, rescale and VOI pipeline as an uncompressed file.
//
// JPEG-LS and JPEG 2000 go through the Cornerstone builds of CharLS and OpenJPEG. Their WebAssembly ships inside the
// npm packages; under Node the Emscripten loader reads it with fs from beside its own script, so nothing is fetched
// at install or run time, as an air-gapped site needs. That script must stay the one in node_modules: the packages
// are Next.js serverExternalPackages (a bundled copy would look for the .wasm in the wrong folder, and bundlers
// cannot follow a require.resolve of it either). Only the decode-only builds are loaded, once per process.
//
// RLE Lossless is decoded here: no maintained package does it (dcmjs's RLE routine is internal to its segmentation
// adapter and handles 8-bit single-segment frames only; `dicom-rle` has one 0.0.x release), and the format is a
// 64-byte header plus one PackBits stream per byte plane (DICOM PS3.5 Annex G), a few lines to write and test.
import charlsDecoderFactory from "@cornerstonejs/codec-charls/decodewasmjs";
import openJpegDecoderFactory from "@cornerstonejs/codec-openjpeg/decodewasmjs";

export const JPEG_LS_SYNTAXES = new Set([
  "1.2.840.10008.1.2.4.80", // JPEG-LS lossless
  "1.2.840.10008.1.2.4.81", // JPEG-LS near-lossless
]);
export const JPEG_2000_SYNTAXES = new Set([
  "1.2.840.10008.1.2.4.90", // JPEG 2000 lossless only
  "1.2.840.10008.1.2.4.91", // JPEG 2000
]);
export const RLE_LOSSLESS = "1.2.840.10008.1.2.5";

export interface FrameLayout {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

/** A frame as an uncompressed file would hold it: little-endian samples of Bits Allocated, planar or interleaved. */
export interface NativeFrame {
  bytes: Uint8Array;
  planar: boolean;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

// The codecs print their complaints ("[ERROR] opj_decompress: failed to read the header") to stdout/stderr. Those
// lines belong in the file's report line, not the server log: the last one goes into the error (decoding is
// synchronous, so it is this frame's). They describe the codestream, never a DICOM attribute.
let codecSaid = "";
const keepError = (line: string) => {
  if (/^\[ERROR\]/.test(line)) codecSaid = line.replace(/^\[ERROR\]\s*/, "").trim();
};
const quiet = { print: keepError, printErr: keepError };
const charls = once(() => charlsDecoderFactory(quiet));
const openJpeg = once(() => openJpegDecoderFactory(quiet));

/** Emscripten throws C++ exceptions as bare numbers; a message must still say what failed. */
function codecError(codec: string, error: unknown): Error {
  const detail = error instanceof Error ? error.message.split("\n")[0] : codecSaid || "the codec rejected the frame";
  return new Error(`DICOM ${codec} frame is not decodable (${detail})`, { cause: error });
}

/** Widens (or copies) the codec's samples to Bits Allocated, little endian, as nativeSamples reads them. */
function toNative(decoded: Uint8Array, codecBytes: number, layout: FrameLayout, codec: string): Uint8Array {
  const count = layout.width * layout.height * layout.samplesPerPixel;
  const bytesPer = layout.bitsAllocated / 8;
  if (decoded.length < count * codecBytes)
    throw new Error(`DICOM ${codec} frame holds ${decoded.length} bytes, the header needs ${count * codecBytes}`);
  if (codecBytes === bytesPer) return decoded.slice(0, count * bytesPer);
  if (codecBytes > bytesPer)
    throw new Error(`DICOM ${codec} frame has ${8 * codecBytes}-bit samples, the header allocates ${8 * bytesPer}`);
  const out = new Uint8Array(count * bytesPer);
  // Only 8-bit codec samples can be narrower than the allocation (16 or 32 bits): the low byte is the value.
  for (let i = 0; i < count; i++) out[i * bytesPer] = decoded[i];
  return out;
}

function checkFrame(
  info: { width: number; height: number; componentCount: number },
  layout: FrameLayout,
  codec: string,
): void {
  if (info.width !== layout.width || info.height !== layout.height)
    throw new Error(
      `DICOM ${codec} frame is ${info.width}x${info.height}, the header says ${layout.width}x${layout.height}`,
    );
  if (info.componentCount !== layout.samplesPerPixel)
    throw new Error(
      `DICOM ${codec} frame has ${info.componentCount} component(s), the header says ${layout.samplesPerPixel}`,
    );
}

interface CodecDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

/** Runs one wasm decoder over the frame; `planarOf` reads the output layout before the decoder is freed. */
function runDecoder(
  decoder: CodecDecoder,
  frame: Uint8Array,
  layout: FrameLayout,
  codec: string,
  planarOf: () => boolean,
): NativeFrame {
  try {
    let info: ReturnType<CodecDecoder["getFrameInfo"]>;
    codecSaid = "";
    try {
      decoder.getEncodedBuffer(frame.length).set(frame);
      decoder.decode();
      info = decoder.getFrameInfo();
      // OpenJPEG reports a codestream it cannot read by printing and returning an empty image, not by throwing.
      if (info.width === 0 || info.height === 0) throw new Error(codecSaid || "no image in the frame");
    } catch (error) {
      throw codecError(codec, error);
    }
    checkFrame(info, layout, codec);
    // The decoded buffer is a view of wasm memory, freed with the decoder: toNative copies it out.
    const bytes = toNative(decoder.getDecodedBuffer(), info.bitsPerSample <= 8 ? 1 : 2, layout, codec);
    return { bytes, planar: layout.samplesPerPixel > 1 && planarOf() };
  } finally {
    decoder.delete();
  }
}

async function decodeJpegLs(frame: Uint8Array, layout: FrameLayout): Promise<NativeFrame> {
  const decoder = new (await charls()).JpegLSDecoder();
  // CharLS hands back planes for interleave mode 0 ("none") and pixel-interleaved samples otherwise.
  return runDecoder(decoder, frame, layout, "JPEG-LS", () => decoder.getInterleaveMode() === 0);
}

async function decodeJpeg2000(frame: Uint8Array, layout: FrameLayout): Promise<NativeFrame> {
  const decoder = new (await openJpeg()).J2KDecoder();
  // OpenJPEG's wrapper always interleaves components, and has already undone the colour transform (RCT/ICT).
  return runDecoder(decoder, frame, layout, "JPEG 2000", () => false);
}

/**
 * RLE Lossless (PS3.5 Annex G): a header of 16 little-endian uint32 (the segment count, then up to 15 segment
 * offsets), then one PackBits segment per byte plane: for each sample, its most significant byte first. The result
 * is colour-by-plane, as the standard requires Planar Configuration 1 for RLE colour.
 */
export function decodeRle(frame: Uint8Array, layout: FrameLayout): NativeFrame {
  const pixels = layout.width * layout.height;
  const bytesPer = layout.bitsAllocated / 8;
  const segments = layout.samplesPerPixel * bytesPer;
  if (frame.length < 64) throw new Error("DICOM RLE frame is shorter than its 64-byte header");
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = view.getUint32(0, true);
  if (count !== segments) throw new Error(`DICOM RLE frame has ${count} segment(s), the header needs ${segments}`);
  const offsets = Array.from({ length: count }, (_, i) => view.getUint32(4 + 4 * i, true));
  const out = new Uint8Array(pixels * layout.samplesPerPixel * bytesPer);
  for (let s = 0; s < count; s++) {
    const sample = Math.floor(s / bytesPer);
    // Segment k of a sample holds byte (bytesPer - 1 - k) of each little-endian value.
    const byteInValue = bytesPer - 1 - (s % bytesPer);
    const base = sample * pixels * bytesPer + byteInValue;
    const start = offsets[s];
    const end = s + 1 < count ? offsets[s + 1] : frame.length;
    if (start < 64 || start > end || end > frame.length)
      throw new Error(`DICOM RLE segment ${s + 1} lies outside the frame`);
    let at = start;
    let written = 0;
    while (written < pixels && at < end) {
      const n = (frame[at++] << 24) >> 24; // the header byte is signed
      if (n >= 0) {
        const length = n + 1;
        if (at + length > end) throw new Error(`DICOM RLE segment ${s + 1} ends inside a literal run`);
        // A run past the plane's end (seen from some encoders) is cut, as other decoders do.
        const kept = Math.min(length, pixels - written);
        for (let i = 0; i < kept; i++) out[base + (written + i) * bytesPer] = frame[at + i];
        at += length;
        written += kept;
      } else if (n !== -128) {
        const length = 1 - n;
        if (at >= end) throw new Error(`DICOM RLE segment ${s + 1} ends inside a repeat run`);
        const value = frame[at++];
        const kept = Math.min(length, pixels - written);
        for (let i = 0; i < kept; i++) out[base + (written + i) * bytesPer] = value;
        written += kept;
      }
    }
    if (written < pixels) throw new Error(`DICOM RLE segment ${s + 1} holds ${written} of ${pixels} bytes`);
  }
  return { bytes: out, planar: layout.samplesPerPixel > 1 };
}

/** True for the compressed transfer syntaxes this file decodes. */
export function isCodecSyntax(syntax: string): boolean {
  return JPEG_LS_SYNTAXES.has(syntax) || JPEG_2000_SYNTAXES.has(syntax) || syntax === RLE_LOSSLESS;
}

/** Decodes one frame of a syntax for which isCodecSyntax holds. */
export async function decodeCodecFrame(syntax: string, frame: Uint8Array, layout: FrameLayout): Promise<NativeFrame> {
  if (JPEG_LS_SYNTAXES.has(syntax)) return decodeJpegLs(frame, layout);
  if (JPEG_2000_SYNTAXES.has(syntax)) return decodeJpeg2000(frame, layout);
  if (syntax === RLE_LOSSLESS) return decodeRle(frame, layout);
  throw new Error(`no codec for transfer syntax ${syntax}`);
}
