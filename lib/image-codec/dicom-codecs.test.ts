import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  IDENTIFYING,
  JPEG_2000,
  JPEG_LS,
  RLE_LOSSLESS,
  encodeJpeg2000,
  encodeJpegLs,
  encodeRle,
  writeDicom,
} from "@/lib/testing/dicom-writer";
import { decodeRle } from "./dicom-codecs";
import { decodeDicom } from "./dicom";

/** The linear VOI function of PS3.3 C.11.2.1.2.1, written out independently for the expectations. */
function expected(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

const width = 24;
const height = 16;
const count = width * height;
/** 12-bit values with runs (for RLE) and steep changes (for the predictors). */
const stored12 = Array.from({ length: count }, (_, i) => (i % 7 === 0 ? 4095 : i % 5 < 2 ? 1000 : (i * 389) % 4096));
/** Signed CT-like values, -2000..2000. */
const signed = Array.from({ length: count }, (_, i) => ((i * 173) % 4001) - 2000);
/** Interleaved 8-bit RGB with a gradient per channel. */
const rgb = Array.from({ length: count * 3 }, (_, i) =>
  i % 3 === 0 ? i % 256 : i % 3 === 1 ? (i * 7) % 256 : 255 - (i % 256),
);
const toPlanes = (interleaved: number[]) => [0, 1, 2].flatMap((c) => interleaved.filter((_, i) => i % 3 === c));

describe("compressed DICOM transfer syntaxes", () => {
  test("JPEG-LS lossless: 12-bit MONOCHROME2, rescale and window, exact values", async () => {
    const frame = await encodeJpegLs(stored12, { width, height, bitsPerSample: 12, componentCount: 1 });
    const file = writeDicom({
      width,
      height,
      frame,
      bitsStored: 12,
      rescale: { slope: 2, intercept: -100 },
      windows: [{ center: 3000, width: 6000 }],
      transferSyntax: JPEG_LS,
    });
    const decoded = await decodeDicom(file);
    assert.deepEqual([decoded.width, decoded.height, decoded.channels], [width, height, 1]);
    assert.deepEqual(
      [...decoded.pixels],
      stored12.map((v) => expected(v * 2 - 100, 3000, 6000)),
    );
  });

  test("JPEG-LS lossless: signed 16-bit values are sign-extended", async () => {
    const frame = await encodeJpegLs(signed, { width, height, bitsPerSample: 16, componentCount: 1 });
    const file = writeDicom({
      width,
      height,
      frame,
      signed: true,
      rescale: { slope: 1, intercept: -24 },
      windows: [{ center: 40, width: 400 }],
      transferSyntax: JPEG_LS,
    });
    const decoded = await decodeDicom(file);
    assert.deepEqual(
      [...decoded.pixels],
      signed.map((v) => expected(v - 24, 40, 400)),
    );
  });

  test("JPEG-LS colour, pixel-interleaved and by plane, comes back as interleaved RGB", async () => {
    for (const interleave of [2, 0] as const) {
      const frame = await encodeJpegLs(interleave === 0 ? toPlanes(rgb) : rgb, {
        width,
        height,
        bitsPerSample: 8,
        componentCount: 3,
        interleave,
      });
      const file = writeDicom({ width, height, frame, bitsAllocated: 8, photometric: "RGB", transferSyntax: JPEG_LS });
      const decoded = await decodeDicom(file);
      assert.equal(decoded.channels, 3);
      assert.deepEqual([...decoded.pixels], rgb, `interleave mode ${interleave}`);
    }
  });

  test("JPEG 2000 reversible: 16-bit MONOCHROME1 with a window given at import", async () => {
    const values = Array.from({ length: count }, (_, i) => (i * 2741) % 65536);
    const frame = await encodeJpeg2000(values, { width, height, bitsPerSample: 16, componentCount: 1 });
    const file = writeDicom({
      width,
      height,
      frame,
      photometric: "MONOCHROME1",
      windows: [{ center: 2048, width: 4096 }],
      transferSyntax: JPEG_2000,
    });
    const decoded = await decodeDicom(file, { center: 30000, width: 50000 });
    assert.deepEqual(
      [...decoded.pixels],
      values.map((v) => 255 - expected(v, 30000, 50000)),
    );
  });

  test("JPEG 2000 reversible: 12-bit and 8-bit RGB (the colour transform undone)", async () => {
    const frame12 = await encodeJpeg2000(stored12, { width, height, bitsPerSample: 12, componentCount: 1 });
    const mono = await decodeDicom(
      writeDicom({ width, height, frame: frame12, bitsStored: 12, transferSyntax: JPEG_2000 }),
    );
    const min = Math.min(...stored12);
    const max = Math.max(...stored12);
    assert.deepEqual(
      [...mono.pixels],
      stored12.map((v) => expected(v, (min + max + 1) / 2, max - min + 1)),
    );
    const frame = await encodeJpeg2000(rgb, { width, height, bitsPerSample: 8, componentCount: 3 });
    const colour = await decodeDicom(
      writeDicom({ width, height, frame, bitsAllocated: 8, photometric: "RGB", transferSyntax: JPEG_2000 }),
    );
    assert.equal(colour.channels, 3);
    assert.deepEqual([...colour.pixels], rgb);
  });

  test("RLE Lossless: signed 16-bit with rescale, and 12-bit in 16 bits", async () => {
    const frame = encodeRle(signed, { width, height, bitsAllocated: 16, componentCount: 1 });
    const decoded = await decodeDicom(
      writeDicom({
        width,
        height,
        frame,
        signed: true,
        rescale: { slope: 0.5, intercept: 10 },
        windows: [{ center: 0, width: 1500 }],
        transferSyntax: RLE_LOSSLESS,
      }),
    );
    assert.deepEqual(
      [...decoded.pixels],
      signed.map((v) => expected(v * 0.5 + 10, 0, 1500)),
    );
    const frame12 = encodeRle(stored12, { width, height, bitsAllocated: 16, componentCount: 1 });
    const mono12 = await decodeDicom(
      writeDicom({
        width,
        height,
        frame: frame12,
        bitsStored: 12,
        photometric: "MONOCHROME1",
        windows: [{ center: 2048, width: 4096 }],
        transferSyntax: RLE_LOSSLESS,
      }),
    );
    assert.deepEqual(
      [...mono12.pixels],
      stored12.map((v) => 255 - expected(v, 2048, 4096)),
    );
  });

  test("RLE Lossless colour is stored by plane and comes back interleaved; YBR_FULL becomes RGB", async () => {
    const frame = encodeRle(rgb, { width, height, bitsAllocated: 8, componentCount: 3 });
    const decoded = await decodeDicom(
      writeDicom({
        width,
        height,
        frame,
        bitsAllocated: 8,
        photometric: "RGB",
        planar: true,
        transferSyntax: RLE_LOSSLESS,
      }),
    );
    assert.deepEqual([...decoded.pixels], rgb);
    // Grey in YBR_FULL is (y, 128, 128): RGB (y, y, y).
    const ybr = Array.from({ length: count * 3 }, (_, i) => (i % 3 === 0 ? (i * 5) % 256 : 128));
    const grey = await decodeDicom(
      writeDicom({
        width,
        height,
        frame: encodeRle(ybr, { width, height, bitsAllocated: 8, componentCount: 3 }),
        bitsAllocated: 8,
        photometric: "YBR_FULL",
        planar: true,
        transferSyntax: RLE_LOSSLESS,
      }),
    );
    assert.deepEqual(
      [...grey.pixels],
      ybr.map((_, i) => ybr[i - (i % 3)]),
    );
  });

  test("RLE runs: a repeat of 128, a literal of 128, the no-op byte, and a run cut at the plane's end", () => {
    const plane = [...new Array<number>(128).fill(9), ...Array.from({ length: 128 }, (_, i) => i)];
    const body = [257 - 128, 9, 0x80, 127, ...plane.slice(128), 0xfe, 7]; // the last run repeats 3, 1 fits
    const header = new Uint8Array(64);
    new DataView(header.buffer).setUint32(0, 1, true);
    new DataView(header.buffer).setUint32(4, 64, true);
    const frame = Uint8Array.from([...header, ...body]);
    const { bytes } = decodeRle(frame, { width: 257, height: 1, samplesPerPixel: 1, bitsAllocated: 8 });
    assert.deepEqual([...bytes], [...plane, 7]);
    assert.throws(
      () => decodeRle(frame, { width: 300, height: 1, samplesPerPixel: 1, bitsAllocated: 8 }),
      /holds 259 of 300 bytes/,
    );
    assert.throws(
      () => decodeRle(frame, { width: 257, height: 1, samplesPerPixel: 1, bitsAllocated: 16 }),
      /has 1 segment\(s\), the header needs 2/,
    );
  });

  test("a broken or mismatched frame is an error naming the codec, never quoting the file", async () => {
    const frame = await encodeJpeg2000(stored12, { width, height, bitsPerSample: 16, componentCount: 1 });
    const broken = writeDicom({ width, height, frame: frame.subarray(0, 40), transferSyntax: JPEG_2000 });
    const wrongSize = writeDicom({ width: width + 1, height, frame, transferSyntax: JPEG_2000 });
    const ls = await encodeJpegLs(stored12, { width, height, bitsPerSample: 12, componentCount: 1 });
    const garbage = writeDicom({ width, height, frame: ls.subarray(0, 8), transferSyntax: JPEG_LS });
    for (const [file, pattern] of [
      [broken, /^DICOM JPEG 2000 frame is not decodable \(opj_decompress: .+\)$/],
      [wrongSize, /^DICOM JPEG 2000 frame is 24x16, the header says 25x16$/],
      [garbage, /^DICOM JPEG-LS frame is not decodable/],
    ] as const) {
      await assert.rejects(decodeDicom(file), (e: unknown) => {
        const message = e instanceof Error ? e.message : "";
        return pattern.test(message) && !Object.values(IDENTIFYING).some((v) => message.includes(v));
      });
    }
  });
});

test("a single frame split into fragments without an offset table is decoded whole", async () => {
  const w = 160;
  // Noise compresses badly: the frame is larger than the 20 kB fragments dcmjs writes.
  let s = 12345;
  const values = Array.from({ length: w * w }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s >>> 20;
  });
  const frame = await encodeJpeg2000(values, { width: w, height: w, bitsPerSample: 12, componentCount: 1 });
  assert.ok(frame.length > 40_000, `frame of ${frame.length} bytes`);
  const file = writeDicom({ width: w, height: w, frame, bitsStored: 12, transferSyntax: JPEG_2000 });
  const decoded = await decodeDicom(file, { center: 2048, width: 4096 });
  assert.deepEqual(
    [...decoded.pixels],
    values.map((v) => expected(v, 2048, 4096)),
  );
});
