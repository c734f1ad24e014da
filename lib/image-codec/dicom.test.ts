import assert from "node:assert/strict";
import { describe, test } from "node:test";
import sharp from "sharp";
import {
  DEFLATED_LE,
  IDENTIFYING,
  HTJ2K,
  IMPLICIT_LE,
  JPEG_BASELINE,
  JPEG_LOSSLESS_SV1,
  encodeJpegLossless,
  writeDicom,
} from "@/lib/testing/dicom-writer";
import { decodeToSquareRgb } from "./decode";
import { UnsupportedImageError, decodeDicom, hasDicomPreamble, monochromeTo8Bit } from "./dicom";
import { openImage } from "./formats";

/** The linear VOI function of PS3.3 C.11.2.1.2.1, written out independently for the expectations. */
function expected(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

describe("DICOM decoding", () => {
  const width = 4;
  const height = 2;
  const stored = [0, 100, 200, 300, 400, 500, 1000, 4095];

  test("16-bit MONOCHROME2 with rescale and the first of two windows", async () => {
    const file = writeDicom({
      width,
      height,
      pixels: stored,
      bitsStored: 12,
      rescale: { slope: 2, intercept: -100 },
      windows: [
        { center: 500, width: 1000 },
        { center: 0, width: 10 },
      ],
    });
    assert.ok(hasDicomPreamble(file));
    const decoded = await decodeDicom(file);
    assert.deepEqual([decoded.width, decoded.height, decoded.channels], [width, height, 1]);
    assert.deepEqual(
      [...decoded.pixels],
      stored.map((v) => expected(v * 2 - 100, 500, 1000)),
    );
  });

  test("a window given at import replaces the file's; MONOCHROME1 is inverted", async () => {
    const file = writeDicom({
      width,
      height,
      pixels: stored,
      photometric: "MONOCHROME1",
      windows: [{ center: 2048, width: 4096 }],
    });
    const decoded = await decodeDicom(file, { center: 250, width: 300 });
    assert.deepEqual(
      [...decoded.pixels],
      stored.map((v) => 255 - expected(v, 250, 300)),
    );
  });

  test("signed 16-bit CT values with a negative intercept (Hounsfield units)", async () => {
    const values = [-2000, -1024, -500, 0, 40, 80, 1000, 3000];
    const file = writeDicom({
      width,
      height,
      pixels: values,
      signed: true,
      rescale: { slope: 1, intercept: -24 },
      windows: [{ center: 40, width: 400 }],
      transferSyntax: IMPLICIT_LE,
    });
    const decoded = await decodeDicom(file);
    assert.deepEqual(
      [...decoded.pixels],
      values.map((v) => expected(v - 24, 40, 400)),
    );
  });

  test("without a window the image's own range maps to 0..255", async () => {
    const file = writeDicom({ width, height, pixels: [10, 20, 30, 40, 50, 60, 70, 80] });
    const decoded = await decodeDicom(file);
    assert.equal(decoded.pixels[0], 0);
    assert.equal(decoded.pixels[7], 255);
    for (let i = 1; i < 8; i++) assert.ok(decoded.pixels[i] > decoded.pixels[i - 1]);
  });

  test("8-bit RGB passes through", async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
    const file = writeDicom({ width: 2, height: 2, pixels: rgb, bitsAllocated: 8, photometric: "RGB" });
    const decoded = await decodeDicom(file);
    assert.equal(decoded.channels, 3);
    assert.deepEqual([...decoded.pixels], rgb);
  });

  test("deflated explicit VR little endian", async () => {
    const file = writeDicom({
      width,
      height,
      pixels: stored,
      transferSyntax: DEFLATED_LE,
      windows: [{ center: 2048, width: 4096 }],
    });
    const decoded = await decodeDicom(file);
    assert.deepEqual(
      [...decoded.pixels],
      stored.map((v) => expected(v, 2048, 4096)),
    );
  });

  test("JPEG lossless (process 14, SV1) frames decode to the exact stored values", async () => {
    const w = 16;
    const h = 8;
    const values = Array.from({ length: w * h }, (_, i) => (i * 97) % 4096);
    const frame = encodeJpegLossless(values, w, h, 16);
    const file = writeDicom({
      width: w,
      height: h,
      frame,
      bitsStored: 12,
      transferSyntax: JPEG_LOSSLESS_SV1,
      windows: [{ center: 2048, width: 4096 }],
    });
    const decoded = await decodeDicom(file);
    assert.deepEqual(
      [...decoded.pixels],
      values.map((v) => expected(v, 2048, 4096)),
    );
  });

  test("JPEG baseline frames decode through libvips", async () => {
    const grey = Buffer.alloc(32 * 32, 0);
    for (let i = 0; i < grey.length; i++) grey[i] = i % 32 < 16 ? 40 : 200;
    const jpeg = await sharp(grey, { raw: { width: 32, height: 32, channels: 1 } })
      .toColourspace("b-w")
      .jpeg({ quality: 100 })
      .toBuffer();
    const file = writeDicom({
      width: 32,
      height: 32,
      frame: jpeg,
      bitsAllocated: 8,
      transferSyntax: JPEG_BASELINE,
      windows: [{ center: 127.5, width: 256 }],
    });
    const decoded = await decodeDicom(file);
    assert.ok(Math.abs(decoded.pixels[5] - 40) <= 3, `left half ${decoded.pixels[5]}`);
    assert.ok(Math.abs(decoded.pixels[25] - 200) <= 3, `right half ${decoded.pixels[25]}`);
  });

  test("an unsupported transfer syntax is named; a file without pixel data says so", async () => {
    const htj2k = writeDicom({
      width: 2,
      height: 2,
      frame: new Uint8Array([0xff, 0x4f, 0xff, 0x51]),
      transferSyntax: HTJ2K,
    });
    await assert.rejects(
      decodeDicom(htj2k),
      (e: unknown) => e instanceof UnsupportedImageError && e.message === `unsupported transfer syntax ${HTJ2K}`,
    );
    const empty = writeDicom({ width: 2, height: 2 });
    await assert.rejects(decodeDicom(empty), /DICOM file without pixel data/);
  });

  test("the square RGB of a DICOM is its grey values, and no attribute reaches a message", async () => {
    const file = writeDicom({
      width: 2,
      height: 2,
      pixels: [0, 1000, 2000, 3000],
      windows: [{ center: 1500, width: 3001 }],
    });
    const opened = await openImage(file);
    assert.equal(opened.format, "dicom");
    const { rgb } = await decodeToSquareRgb(file, 2);
    assert.deepEqual(
      [rgb[0], rgb[1], rgb[2], rgb[9]],
      [expected(0, 1500, 3001), expected(0, 1500, 3001), expected(0, 1500, 3001), expected(3000, 1500, 3001)],
    );
    const broken = writeDicom({ width: 64, height: 64, pixels: [1, 2, 3, 4] });
    await assert.rejects(decodeDicom(broken), (e: unknown) => {
      const message = e instanceof Error ? e.message : "";
      return (
        /holds 8 bytes, the header needs 8192/.test(message) &&
        !Object.values(IDENTIFYING).some((v) => message.includes(v))
      );
    });
  });

  test("the VOI function is monotone and clips at both ends", () => {
    const out = monochromeTo8Bit([-10, 0, 5, 10, 20], { slope: 1, intercept: 0 }, { center: 5, width: 10 }, false);
    assert.deepEqual([...out], [0, 0, expected(5, 5, 10), 255, 255]);
  });
});
