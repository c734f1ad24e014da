import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CAM_MAX_SIDE,
  CAM_PAYLOAD_BYTES,
  decodeCamPayload,
  encodeCamPayload,
  upsampleCamBilinear,
} from "./cam-payload";

const grid = (width: number, height: number, f: (x: number, y: number) => number) => ({
  width,
  height,
  values: Float32Array.from({ length: width * height }, (_, i) => f(i % width, Math.floor(i / width))),
});

describe("class-activation map payload", () => {
  test("every grid gives a payload of the same length (the size of a file says nothing of its model)", () => {
    const sizes = [grid(3, 3, () => 0), grid(7, 7, (x, y) => (x + y) / 12), grid(CAM_MAX_SIDE, CAM_MAX_SIDE, () => 1)]
      .map(encodeCamPayload)
      .map((p) => p.length);
    assert.deepEqual(sizes, [CAM_PAYLOAD_BYTES, CAM_PAYLOAD_BYTES, CAM_PAYLOAD_BYTES]);
    assert.equal(CAM_PAYLOAD_BYTES, 16 + 2 * 64 * 64);
  });

  test("round trip to 16 bits, clamped, with the grid's own size", () => {
    const cam = grid(7, 5, (x, y) => x / 6 - y / 10);
    cam.values[3] = Number.NaN;
    cam.values[4] = 1.5;
    const back = decodeCamPayload(encodeCamPayload(cam));
    assert.deepEqual([back.width, back.height], [7, 5]);
    back.values.forEach((v, i) => {
      const raw = cam.values[i];
      const want = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
      assert.ok(Math.abs(v - want) <= 0.5 / 65535 + 1e-7, `cell ${i}: ${v} vs ${want}`);
    });
    // Decoding from an ArrayBuffer (what fetch gives the browser) is the same.
    const bytes = encodeCamPayload(cam);
    assert.deepEqual(decodeCamPayload(bytes.slice().buffer), back);
  });

  test("anything else is refused", () => {
    assert.throws(() => encodeCamPayload(grid(65, 1, () => 0)), RangeError);
    assert.throws(() => encodeCamPayload({ width: 2, height: 2, values: new Float32Array(3) }), RangeError);
    assert.throws(() => decodeCamPayload(new Uint8Array(10)), RangeError);
    const wrong = encodeCamPayload(grid(2, 2, () => 0));
    wrong[0] = 0;
    assert.throws(() => decodeCamPayload(wrong), /not a map payload/);
    const big = encodeCamPayload(grid(2, 2, () => 0));
    big[6] = 200; // width 200
    assert.throws(() => decodeCamPayload(big), RangeError);
  });

  test("bilinear up-sampling with half-pixel centres: cell centres keep their value, edges hold", () => {
    const cam = grid(2, 2, (x, y) => [0, 1, 0.5, 0.25][y * 2 + x]);
    const up = upsampleCamBilinear(cam, 8);
    // Centres of the 2x2 cells sit at pixel 1.5 and 5.5; pixels 0..1 are the clamped plateau of the first cell.
    assert.equal(up[0], 0);
    assert.equal(up[7], 1);
    assert.equal(up[7 * 8], 0.5);
    assert.equal(up[7 * 8 + 7], 0.25);
    // Half way between the top cells' centres (pixels 3 and 4 are 1.5 and 2.5 away from 1.5 of 4 px).
    assert.ok(Math.abs(up[3] - 0.375) < 1e-6, String(up[3]));
    assert.ok(Math.abs(up[4] - 0.625) < 1e-6, String(up[4]));
    const one = upsampleCamBilinear(
      grid(1, 1, () => 0.7),
      4,
    );
    one.forEach((v) => assert.ok(Math.abs(v - 0.7) < 1e-6));
  });
});
