import { describe, test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { decodeDisplayCopy, decodeToSquareRgb, DISPLAY_MAX_SIDE } from "./decode";
import { encodeDisplayJpeg } from "./encode-png";

/** A landscape photo with EXIF (camera, GPS-like comment) and a red left half. */
async function photo(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3, 90);
  for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) data.set([220, 30, 30], (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: "DermCam", Model: "X1", ImageDescription: "Patient Jane Doe" } })
    .jpeg()
    .toBuffer();
}

describe("display copy", () => {
  test("a large source: the model copy's crop at 1024 px, re-encoded without any metadata", async () => {
    const source = await photo(2000, 1500);
    assert.ok((await sharp(source).metadata()).exif, "the test source carries EXIF");
    const copy = await decodeDisplayCopy(source, 224);
    assert.ok(copy);
    assert.equal(copy.side, DISPLAY_MAX_SIDE);
    assert.equal(copy.rgb.length, 1024 * 1024 * 3);
    const jpeg = await encodeDisplayJpeg(copy.rgb, copy.side, copy.side);
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 1024, 1024]);
    assert.equal(meta.exif, undefined);
    assert.equal(meta.icc, undefined);
    assert.ok(!jpeg.includes(Buffer.from("Jane Doe")) && !jpeg.includes(Buffer.from("DermCam")));
    assert.ok((await encodeDisplayJpeg(copy.rgb, copy.side, copy.side)).equals(jpeg), "deterministic bytes");
    // Same crop as the model-size copy: the red half ends at the same place (centre crop of 2000x1500 keeps
    // columns 250..1749, and red ends at column 1000: half of the square).
    const model = (await decodeToSquareRgb(source, 224)).rgb;
    const redShare = (rgb: Uint8Array, side: number) => {
      let red = 0;
      for (let x = 0; x < side; x++) if (rgb[3 * (Math.floor(side / 2) * side + x)] > 150) red++;
      return red / side;
    };
    assert.ok(Math.abs(redShare(copy.rgb, 1024) - 1 / 2) < 0.01);
    assert.ok(Math.abs(redShare(model, 224) - redShare(copy.rgb, 1024)) < 0.01);
  });

  test("a source smaller than 1024 keeps its own resolution; one no larger than the model copy has none", async () => {
    const mid = await decodeDisplayCopy(await photo(600, 480), 224);
    assert.equal(mid?.side, 480);
    assert.equal(await decodeDisplayCopy(await photo(300, 200), 224), null);
    // "contain" pads the short side, so the long side's pixels are kept; the padding matches the model copy's.
    const padded = await decodeDisplayCopy(await photo(600, 300), 224, { fit: "contain" });
    assert.equal(padded?.side, 600);
    const model = (await decodeToSquareRgb(await photo(600, 300), 224, { fit: "contain" })).rgb;
    assert.deepEqual([...padded.rgb.subarray(0, 3)], [...model.subarray(0, 3)], "black padding at the top left");
    await assert.rejects(() => encodeDisplayJpeg(new Uint8Array(5), 2, 2), RangeError);
  });
});
