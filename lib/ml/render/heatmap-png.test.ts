import { test, describe } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { jetColour, heatmapToJetRgb, blendHeatmapOverRgb, colourOf, colourTable, legendGradient } from "./colour-map";
import { COLOUR_MAPS } from "./colour-map-names";
import { encodeGrayPng, encodeRgbPng } from "@/lib/image-codec/encode-png";
import { listPngChunks, METADATA_CHUNK_TYPES } from "@/lib/image-codec/png-chunks";
import { renderHeatmapPng, renderHeatmapOverlayPng } from "./heatmap-png";

async function decodeRgb(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, info };
}

// 16x16 map: hot spot (1.0) at (row 4, col 12), everything else a gradient below 0.3, cold (0) at (15, 0).
const SIDE = 16;
const heat = new Float32Array(SIDE * SIDE);
for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) heat[y * SIDE + x] = (0.3 * (x + (15 - y))) / 30;
heat[4 * SIDE + 12] = 1;
heat[15 * SIDE + 0] = 0;

describe("jet colour map", () => {
  test("end points and middle", () => {
    assert.deepEqual(jetColour(0), [0, 0, 128]);
    assert.deepEqual(jetColour(1), [128, 0, 0]);
    assert.deepEqual(jetColour(0.5), [128, 255, 128]);
    assert.deepEqual(jetColour(0.25), [0, 128, 255]);
    assert.deepEqual(jetColour(-3), jetColour(0));
    assert.deepEqual(jetColour(Number.NaN), jetColour(0));
  });

  test("blend is the per-channel weighted mean", () => {
    const rgb = Uint8Array.from([200, 100, 50]);
    assert.deepEqual([...blendHeatmapOverRgb(rgb, [1], 0.5)], [164, 50, 25]);
    assert.deepEqual([...blendHeatmapOverRgb(rgb, [1], 0)], [200, 100, 50]);
    assert.deepEqual([...blendHeatmapOverRgb(rgb, [0], 1)], [0, 0, 128]);
    assert.throws(() => blendHeatmapOverRgb(rgb, [1, 1]), RangeError);
  });
});

describe("PNG rendering", () => {
  test("bare map decodes to jet at a hot and a cold point", async () => {
    const png = await renderHeatmapPng(heat, SIDE);
    const { data, info } = await decodeRgb(png);
    assert.equal(info.width, SIDE);
    assert.equal(info.height, SIDE);
    const at = (y: number, x: number) => [...data.subarray(3 * (y * SIDE + x), 3 * (y * SIDE + x) + 3)];
    assert.deepEqual(at(4, 12), [128, 0, 0]);
    assert.deepEqual(at(15, 0), [0, 0, 128]);
    assert.deepEqual(Buffer.from(data), Buffer.from(heatmapToJetRgb(heat)));
  });

  test("overlay blends at alpha 0.5 over the image", async () => {
    const rgb = new Uint8Array(SIDE * SIDE * 3).fill(200);
    const { data } = await decodeRgb(await renderHeatmapOverlayPng(rgb, heat, SIDE));
    const at = (y: number, x: number) => [...data.subarray(3 * (y * SIDE + x), 3 * (y * SIDE + x) + 3)];
    assert.deepEqual(at(4, 12), [164, 100, 100]); // (200 + 128) / 2, 200 / 2, 200 / 2
    assert.deepEqual(at(15, 0), [100, 100, 164]);
  });

  test("deterministic bytes and no metadata chunks", async () => {
    const a = await renderHeatmapPng(heat, SIDE);
    const b = await renderHeatmapPng(Float32Array.from(heat), SIDE);
    assert.ok(a.equals(b));
    for (const png of [a, await encodeRgbPng(new Uint8Array(12), 2, 2), await encodeGrayPng(new Uint8Array(4), 2, 2)]) {
      const chunks = listPngChunks(png);
      assert.equal(chunks[0], "IHDR");
      assert.equal(chunks.at(-1), "IEND");
      for (const t of METADATA_CHUNK_TYPES) assert.ok(!chunks.includes(t), `unexpected ${t} chunk in ${chunks}`);
    }
  });

  test("grayscale mask PNG round-trips and size errors are caught", async () => {
    const mask = Uint8Array.from([0, 255, 255, 0]);
    const png = await encodeGrayPng(mask, 2, 2);
    assert.equal(png[25], 0, "IHDR colour type 0 = grayscale");
    const { data } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([...data], [0, 255, 255, 0]);
    await assert.rejects(() => renderHeatmapPng(new Float32Array(10), 3), RangeError);
    await assert.rejects(() => encodeRgbPng(new Uint8Array(5), 2, 2), RangeError);
  });
});

describe("study colour maps", () => {
  test("turbo and viridis end points, tables and legend", () => {
    assert.deepEqual(colourOf("viridis", 0), [68, 1, 84]); // matplotlib's #440154
    assert.deepEqual(colourOf("viridis", 1), [253, 231, 37]); // #fde725
    assert.deepEqual(colourOf("jet", 1), jetColour(1));
    // Turbo starts dark, turns blue at once and ends in dark red.
    const [r0, , b0] = colourOf("turbo", 0.1);
    const [r1, , b1] = colourOf("turbo", 1);
    assert.ok(b0 > r0 && r1 > b1, "turbo runs from blue to red");
    for (const m of COLOUR_MAPS) {
      const table = colourTable(m);
      assert.equal(table.length, 256 * 3);
      assert.deepEqual([...table.subarray(255 * 3)], colourOf(m, 1));
      assert.match(legendGradient(m), /^linear-gradient\(to right, rgb\(\d+,\d+,\d+\) 0%, .* 100%\)$/);
    }
    assert.notDeepEqual(colourTable("jet"), colourTable("viridis"));
  });
});
