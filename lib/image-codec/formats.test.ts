import assert from "node:assert/strict";
import { describe, test } from "node:test";
import sharp from "sharp";
import { decodeToSquareRgb, readImageHeader } from "./decode";
import { IMAGE_EXTENSIONS, IMAGE_FORMATS, describeImageExtensions, openImage } from "./formats";

describe("image formats", () => {
  test("the accepted extensions come from the formats, and read as a list in messages", () => {
    assert.deepEqual([...IMAGE_EXTENSIONS], IMAGE_FORMATS.flatMap((f) => f.extensions));
    assert.equal(describeImageExtensions(), ".png, .jpg or .jpeg");
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

  test("bytes that are no image are refused with a reason", async () => {
    await assert.rejects(readImageHeader(new TextEncoder().encode("not an image at all")));
  });
});
