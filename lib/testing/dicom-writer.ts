// DICOM files for tests, written by dcmjs (the parser Focus reads them with is the same library, but the pixel
// pipeline under test is Focus's own). Each file carries identifying attributes on purpose, so tests can show that
// none of them reaches storage or a report.
import { deflateRawSync } from "node:zlib";
import charlsEncoderFactory from "@cornerstonejs/codec-charls/wasmjs";
import openJpegEncoderFactory from "@cornerstonejs/codec-openjpeg/wasmjs";
import dcmjs from "dcmjs";

export const EXPLICIT_LE = "1.2.840.10008.1.2.1";
export const IMPLICIT_LE = "1.2.840.10008.1.2";
export const DEFLATED_LE = "1.2.840.10008.1.2.1.99";
export const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
export const JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
export const JPEG_2000 = "1.2.840.10008.1.2.4.90";
export const JPEG_LS = "1.2.840.10008.1.2.4.80";
export const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
/** High-throughput JPEG 2000: Focus does not decode it. */
export const HTJ2K = "1.2.840.10008.1.2.4.201";

/** Attribute values that must never leave the decoder. */
export const IDENTIFYING = { PatientName: "Secret^Patient", PatientID: "PID-8812", InstitutionName: "Hidden Clinic" };

export interface DicomSpec {
  width: number;
  height: number;
  /** Stored values, row by row (monochrome), or interleaved RGB bytes. */
  pixels?: ArrayLike<number>;
  /** Encapsulated frame bytes for a compressed transfer syntax. */
  frame?: Uint8Array;
  bitsAllocated?: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: "MONOCHROME1" | "MONOCHROME2" | "RGB" | "YBR_FULL";
  /** Colour planes one after the other (RLE colour must be); interleaved otherwise. */
  planar?: boolean;
  rescale?: { slope: number; intercept: number };
  /** One or more windows; the decoder uses the first. */
  windows?: Array<{ center: number; width: number }>;
  transferSyntax?: string;
}

export function writeDicom(spec: DicomSpec): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const syntax = spec.transferSyntax ?? EXPLICIT_LE;
  const bitsAllocated = spec.bitsAllocated ?? 16;
  const rgb = spec.photometric === "RGB" || spec.photometric === "YBR_FULL";
  // dcmjs writes deflated files uncompressed; the dataset is deflated below.
  const meta = {
    MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.7",
    MediaStorageSOPInstanceUID: "1.2.826.0.1.3680043.2.1125.1",
    TransferSyntaxUID: syntax === DEFLATED_LE ? EXPLICIT_LE : syntax,
    ImplementationClassUID: "1.2.826.0.1.3680043.2.1125.2",
  };
  const dataset: Record<string, unknown> = {
    SOPClassUID: meta.MediaStorageSOPClassUID,
    SOPInstanceUID: meta.MediaStorageSOPInstanceUID,
    ...IDENTIFYING,
    Rows: spec.height,
    Columns: spec.width,
    SamplesPerPixel: rgb ? 3 : 1,
    PhotometricInterpretation: spec.photometric ?? "MONOCHROME2",
    BitsAllocated: bitsAllocated,
    BitsStored: spec.bitsStored ?? bitsAllocated,
    HighBit: (spec.bitsStored ?? bitsAllocated) - 1,
    PixelRepresentation: spec.signed ? 1 : 0,
    ...(rgb ? { PlanarConfiguration: spec.planar ? 1 : 0 } : {}),
    ...(spec.rescale ? { RescaleSlope: spec.rescale.slope, RescaleIntercept: spec.rescale.intercept } : {}),
    ...(spec.windows
      ? { WindowCenter: spec.windows.map((w) => w.center), WindowWidth: spec.windows.map((w) => w.width) }
      : {}),
  };
  if (spec.frame) {
    dataset.PixelData = [spec.frame.buffer.slice(spec.frame.byteOffset, spec.frame.byteOffset + spec.frame.byteLength)];
    dataset._vrMap = { PixelData: "OB" };
  } else if (spec.pixels) {
    const values = Array.from(spec.pixels);
    const typed =
      bitsAllocated === 8
        ? Uint8Array.from(values)
        : spec.signed
          ? new Uint16Array(Int16Array.from(values).buffer)
          : Uint16Array.from(values);
    // Pixel data has an even length.
    const bytes = new Uint8Array(typed.buffer.byteLength + (typed.buffer.byteLength % 2));
    bytes.set(new Uint8Array(typed.buffer));
    dataset.PixelData = [bytes.buffer];
    dataset._vrMap = { PixelData: bitsAllocated === 8 ? "OB" : "OW" };
  }
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  const file = Buffer.from(dict.write());
  return syntax === DEFLATED_LE ? deflateDataset(file) : file;
}

/** Rewrites an explicit-VR file as deflated: the meta group stays, the dataset after it is raw-deflated. */
function deflateDataset(file: Buffer): Buffer {
  // Meta group: preamble, "DICM", then (0002,0000) UL with the group's length.
  const groupLength = file.readUInt32LE(128 + 4 + 8);
  const metaEnd = 128 + 4 + 12 + groupLength;
  const meta = Buffer.from(file.subarray(0, metaEnd));
  const oldUid = Buffer.from(EXPLICIT_LE);
  const at = meta.indexOf(oldUid, 128);
  // Same length after padding: "1.2.840.10008.1.2.1.99" is 22 characters, the old one 20 (19 + padding).
  const element = meta.subarray(at - 8, at);
  const oldLength = element.readUInt16LE(6);
  const uid = Buffer.from(`${DEFLATED_LE}`);
  const head = Buffer.concat([
    meta.subarray(0, at - 2),
    Buffer.from([uid.length, 0]),
    uid,
    meta.subarray(at + oldLength),
  ]);
  head.writeUInt32LE(groupLength + uid.length - oldLength, 128 + 4 + 8);
  return Buffer.concat([head, deflateRawSync(file.subarray(metaEnd))]);
}

/**
 * A JPEG lossless (process 14, selection value 1) encoder for one grey component, just enough to make test frames:
 * every difference category has a 5-bit Huffman code.
 */
export function encodeJpegLossless(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  precision: number,
): Uint8Array {
  const out: number[] = [];
  const marker = (m: number, body: number[]) =>
    out.push(0xff, m, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body);
  out.push(0xff, 0xd8);
  // Huffman table: 17 categories (0..16), all 5 bits long.
  const bits = new Array<number>(16).fill(0);
  bits[4] = 17;
  marker(0xc4, [0x00, ...bits, ...Array.from({ length: 17 }, (_, i) => i)]);
  marker(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  marker(0xda, [1, 1, 0x00, 1, 0, 0]); // one component, table 0, predictor 1, Se 0, Ah/Al 0
  let acc = 0;
  let n = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++n === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0);
        acc = 0;
        n = 0;
      }
    }
  };
  const mod = 1 << 16;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const prediction = x === 0 && y === 0 ? 1 << (precision - 1) : x === 0 ? samples[i - width] : samples[i - 1];
      let diff = (samples[i] - prediction) % mod;
      if (diff >= 32768) diff -= mod;
      if (diff < -32767) diff += mod;
      const magnitude = Math.abs(diff);
      const category = magnitude === 0 ? 0 : diff === 32768 ? 16 : Math.floor(Math.log2(magnitude)) + 1;
      put(category, 5);
      if (category > 0 && category < 16) put(diff < 0 ? diff + (1 << category) - 1 : diff, category);
    }
  }
  if (n > 0) put(0xff, 8 - n); // pad with ones
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}

/** Samples as the codecs take them: little endian, one or two bytes each (signed values as their bit pattern). */
function sampleBytes(samples: ArrayLike<number>, bytesPer: 1 | 2): Uint8Array {
  if (bytesPer === 1) return Uint8Array.from(samples, (v) => v & 0xff);
  return new Uint8Array(Uint16Array.from(samples, (v) => v & 0xffff).buffer);
}

/** A lossless JPEG-LS frame (CharLS's own encoder); `interleave` 0 takes planes, 2 interleaved samples. */
export async function encodeJpegLs(
  samples: ArrayLike<number>,
  info: { width: number; height: number; bitsPerSample: number; componentCount: 1 | 3; interleave?: 0 | 1 | 2 },
): Promise<Uint8Array> {
  const codec = await charlsEncoderFactory();
  const encoder = new codec.JpegLSEncoder();
  try {
    const { interleave, ...frameInfo } = info;
    encoder
      .getDecodedBuffer({ ...frameInfo, isSigned: false })
      .set(sampleBytes(samples, info.bitsPerSample <= 8 ? 1 : 2));
    encoder.setNearLossless(0);
    if (info.componentCount > 1) encoder.setInterleaveMode(interleave ?? 2);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** A reversible (lossless) JPEG 2000 codestream (OpenJPEG's own encoder); colour samples interleaved. */
export async function encodeJpeg2000(
  samples: ArrayLike<number>,
  info: { width: number; height: number; bitsPerSample: number; componentCount: 1 | 3; isSigned?: boolean },
): Promise<Uint8Array> {
  const codec = await openJpegEncoderFactory();
  const encoder = new codec.J2KEncoder();
  try {
    encoder
      .getDecodedBuffer({ ...info, isSigned: info.isSigned ?? false })
      .set(sampleBytes(samples, info.bitsPerSample <= 8 ? 1 : 2));
    // Few decomposition levels: OpenJPEG refuses more than the small test images allow.
    encoder.setDecompositions(Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(info.width, info.height))) - 1)));
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** PackBits over one byte plane, written independently of the decoder: runs of 2+ repeat, the rest literal. */
function packBits(plane: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < plane.length) {
    let run = 1;
    while (i + run < plane.length && plane[i + run] === plane[i] && run < 128) run++;
    if (run >= 2) {
      out.push(257 - run, plane[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < plane.length && i - start < 128 && !(i + 1 < plane.length && plane[i + 1] === plane[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...plane.slice(start, i));
  }
  return out;
}

/**
 * An RLE Lossless frame (PS3.5 Annex G): one segment per byte plane, most significant byte first, colour by plane.
 * `samples` are stored values (monochrome) or interleaved colour bytes.
 */
export function encodeRle(
  samples: ArrayLike<number>,
  info: { width: number; height: number; bitsAllocated: 8 | 16; componentCount: 1 | 3 },
): Uint8Array {
  const pixels = info.width * info.height;
  const bytesPer = info.bitsAllocated / 8;
  const segments: number[][] = [];
  for (let c = 0; c < info.componentCount; c++) {
    for (let b = bytesPer - 1; b >= 0; b--) {
      const plane: number[] = [];
      for (let p = 0; p < pixels; p++) plane.push((samples[p * info.componentCount + c] >> (8 * b)) & 0xff);
      const packed = packBits(plane);
      if (packed.length % 2 === 1) packed.push(0x80); // segments have an even length; 0x80 is a no-op
      segments.push(packed);
    }
  }
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...segments.flat()]);
}
