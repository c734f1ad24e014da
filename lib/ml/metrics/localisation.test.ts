import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  pointingGameHit,
  energyInsideMask,
  topRegionIou,
  localisationMetrics,
  isBlankMap,
  topRegionSize,
  randomRegionIou,
} from "./localisation";

// 4x5 = 20 pixels. Mask: the left 2 columns (8 pixels).
const W = 5;
const H = 4;
const mask = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 2 ? 1 : 0));

describe("pointingGameHit", () => {
  test("maximum inside vs outside the mask", () => {
    const heat = new Float32Array(W * H).fill(0.1);
    heat[1 * W + 1] = 1; // column 1 (inside)
    assert.equal(pointingGameHit(heat, mask), true);
    heat[1 * W + 1] = 0.1;
    heat[2 * W + 4] = 1; // column 4 (outside)
    assert.equal(pointingGameHit(heat, mask), false);
  });

  test("tied maxima vote; a constant map never hits", () => {
    const heat = new Float32Array(W * H);
    heat[0] = 1;
    heat[1] = 1;
    heat[2] = 1; // 2 of 3 maxima inside
    assert.equal(pointingGameHit(heat, mask), true);
    heat[3] = 1; // 2 of 4: not a majority
    assert.equal(pointingGameHit(heat, mask), false);
    assert.equal(pointingGameHit(new Float32Array(W * H).fill(0.7), mask), false);
  });
});

describe("energyInsideMask", () => {
  test("hand-computed shares", () => {
    const uniform = new Float32Array(W * H).fill(0.5);
    assert.ok(Math.abs(energyInsideMask(uniform, mask) - 8 / 20) < 1e-9);
    const heat = new Float32Array(W * H);
    heat[0] = 0.75; // inside
    heat[4] = 0.25; // outside
    assert.ok(Math.abs(energyInsideMask(heat, mask) - 0.75) < 1e-9);
    assert.equal(energyInsideMask(new Float32Array(W * H), mask), 0);
  });

  test("rejects negative values and empty masks", () => {
    const heat = new Float32Array(W * H);
    heat[3] = -0.1;
    assert.throws(() => energyInsideMask(heat, mask), RangeError);
    assert.throws(() => energyInsideMask(new Float32Array(4), new Uint8Array(4)), /empty/);
  });
});

describe("topRegionIou", () => {
  test("hand-computed IoU of the top 15 % (3 of 20 pixels)", () => {
    const heat = new Float32Array(W * H);
    heat[0] = 0.9;
    heat[5] = 0.8; // inside
    heat[4] = 0.7; // outside
    heat[10] = 0.1; // inside but not in the top 3
    // region {0, 5, 4}; intersection 2; union 3 + 8 - 2 = 9
    assert.ok(Math.abs(topRegionIou(heat, mask) - 2 / 9) < 1e-12);
  });

  test("a map equal to the mask at 40 % gives IoU 1; zeros never join the region", () => {
    const heat = Float32Array.from(mask);
    assert.equal(topRegionIou(heat, mask, 0.4), 1);
    assert.equal(topRegionIou(new Float32Array(W * H), mask), 0);
    const sparse = new Float32Array(W * H);
    sparse[0] = 1; // only one positive pixel: region of size 1, IoU 1/8
    assert.equal(topRegionIou(sparse, mask), 1 / 8);
  });

  test("combined metrics", () => {
    const heat = Float32Array.from(mask, (m, i) => (m ? 1 - i / 100 : 0));
    const m = localisationMetrics(heat, mask);
    assert.equal(m.pointingHit, true);
    assert.equal(m.energyInside, 1);
    assert.equal(m.topRegionIou, 3 / 8);
  });
});

describe("chance levels and blank maps", () => {
  test("a constant map is blank; any variation is not", () => {
    assert.equal(isBlankMap(new Float32Array(20)), true);
    assert.equal(isBlankMap(new Float32Array(20).fill(0.3)), true);
    const heat = new Float32Array(20);
    heat[7] = 1e-6;
    assert.equal(isBlankMap(heat), false);
  });

  test("the top region leaves out pixels of value 0", () => {
    const heat = new Float32Array(W * H);
    heat[0] = 1;
    assert.equal(topRegionSize(heat), 1);
    assert.equal(topRegionSize(heat.fill(0.5)), Math.ceil(0.15 * 20));
  });

  test("the random-region IoU equals the average over every region of that size (enumerated)", () => {
    // 8 pixels, mask of 3, regions of 2: all C(8, 2) = 28 regions listed and scored with topRegionIou's formula.
    const total = 8;
    const maskSize = 3;
    let sum = 0;
    let count = 0;
    for (let a = 0; a < total; a++) {
      for (let b = a + 1; b < total; b++) {
        const inter = (a < maskSize ? 1 : 0) + (b < maskSize ? 1 : 0);
        sum += inter / (2 + maskSize - inter);
        count++;
      }
    }
    assert.ok(Math.abs(randomRegionIou(total, 2, maskSize) - sum / count) < 1e-12);
    assert.equal(randomRegionIou(10, 0, 4), 0);
    assert.equal(randomRegionIou(10, 10, 4), 0.4, "the whole image: IoU = mask share");
    assert.throws(() => randomRegionIou(10, 11, 4), RangeError);
  });

  test("the random-region IoU of a real-sized map is finite and near the plug-in value", () => {
    const total = 224 * 224;
    const k = Math.ceil(0.15 * total);
    const m = Math.round(0.1 * total);
    const exact = randomRegionIou(total, k, m);
    const plugIn = (k * m) / total / (k + m - (k * m) / total);
    assert.ok(Number.isFinite(exact) && Math.abs(exact - plugIn) < 1e-3, `${exact} vs ${plugIn}`);
  });
});
