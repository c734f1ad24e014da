import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as bmp from "bmp-ts";
import sharp from "sharp";
import { decodeToSquareRgb, readImageHeader } from "./decode";
import { IMAGE_EXTENSIONS, IMAGE_FORMATS, describeImageExtensions, openImage } from "./formats";

describe("image formats", () => {
  test("the accepted extensions come from the formats, and read as a list in messages", () => {
    assert.deepEqual(
      [...IMAGE_EXTENSIONS],
      IMAGE_FORMATS.flatMap((f) => f.extensions),
    );
    assert.equal(describeImageExtensions(), ".bmp, .dcm, .dicom, .png, .jpg, .jpeg, .tif, .tiff or .webp");
  });

  test("a JPEG turned by its EXIF orientation reports and decodes its upright size", async () => {
    // 40 wide, 20 high as stored; orientation 6 (rotate 90 degrees clockwise) makes it 20 wide, 40 high.
    const stored = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#ff0000" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    assert.deepEqual(await readImageHeader(stored), { width: 20, height: 40, format: "jpeg" });
    const opened = await openImage(stored);
    const { info } = await opened.pipeline().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [20, 40]);
    const decoded = await decodeToSquareRgb(stored, 8);
    assert.equal(decoded.rgb.length, 8 * 8 * 3);
    assert.deepEqual([decoded.width, decoded.height, decoded.format], [20, 40, "jpeg"]);
  });

  test("a 24-bit BMP (which libvips cannot read) decodes to its pixels", async () => {
    const width = 40;
    const height = 36;
    const abgr = Buffer.alloc(width * height * 4); // bmp-ts's encoder takes A, B, G, R per pixel
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        abgr.set(x < width / 2 ? [0, 30, 60, 250] : [0, 200, 100, 10], 4 * (y * width + x));
    }
    const file = bmp.encode({ data: abgr, width, height, bitPP: 24 }).data;
    assert.equal(file.subarray(0, 2).toString("latin1"), "BM");
    assert.deepEqual(await readImageHeader(file), { width, height, format: "bmp" });
    const { data, info } = await (await openImage(file)).pipeline().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [width, height, 3]);
    assert.deepEqual([...data.subarray(0, 3)], [250, 60, 30]);
    assert.deepEqual([...data.subarray(3 * (width - 1), 3 * width)], [10, 100, 200]);
  });

  test("TIFF and WebP go through libvips", async () => {
    const base = sharp({ create: { width: 33, height: 34, channels: 3, background: "#204060" } });
    for (const [bytes, format] of [
      [await base.clone().tiff().toBuffer(), "tiff"],
      [await base.clone().webp({ lossless: true }).toBuffer(), "webp"],
    ] as const) {
      assert.deepEqual(await readImageHeader(bytes), { width: 33, height: 34, format });
      const { rgb } = await decodeToSquareRgb(bytes, 8);
      // Within one level: libvips' colour-space round trip may round a channel down.
      [0x20, 0x40, 0x60].forEach((v, c) => assert.ok(Math.abs(rgb[c] - v) <= 1, `${format} channel ${c}: ${rgb[c]}`));
    }
  });

  test("bytes that are no image are refused with a reason", async () => {
    await assert.rejects(readImageHeader(new TextEncoder().encode("not an image at all")));
  });
});
