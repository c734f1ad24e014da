import { test } from "node:test";
import assert from "node:assert/strict";
import { summariseLocalisation, type ScoredMap } from "./localisation-summary";

function map(imageId: string, hit: boolean, over: Partial<ScoredMap> = {}): ScoredMap {
  return {
    imageId,
    pointingHit: hit,
    energyInMask: hit ? 0.6 : 0.2,
    topIou: hit ? 0.5 : 0.1,
    maskShare: 0.2,
    chanceIou: 0.12,
    blankMap: false,
    ...over,
  };
}

test("means, chance levels and a bootstrap interval around the value", () => {
  const maps = Array.from({ length: 40 }, (_, i) => map(`im${i}`, i % 4 !== 0, { maskShare: i % 2 ? 0.1 : 0.3 }));
  const s = summariseLocalisation(maps);
  assert.equal(s.maps, 40);
  assert.equal(s.images, 40);
  assert.equal(s.blank, 0);
  assert.equal(s.pointingGame.value, 0.75);
  assert.ok(Math.abs(s.pointingGame.chance! - 0.2) < 1e-12);
  assert.ok(Math.abs(s.energyInMask.value! - (0.75 * 0.6 + 0.25 * 0.2)) < 1e-12);
  assert.ok(Math.abs(s.topIou.chance! - 0.12) < 1e-12);
  for (const m of [s.pointingGame, s.energyInMask, s.topIou]) {
    assert.ok(m.ci!.low < m.value! && m.value! < m.ci!.high, JSON.stringify(m));
  }
  assert.deepEqual(summariseLocalisation(maps), s, "seeded: the same maps give the same interval");
});

test("blank maps are counted and reported, not scored as misses", () => {
  const maps = [map("a", true), map("b", true), map("c", false, { blankMap: true, energyInMask: 0, topIou: 0 })];
  const s = summariseLocalisation(maps);
  assert.equal(s.maps, 3);
  assert.equal(s.blank, 1);
  assert.equal(s.scored, 2);
  assert.equal(s.pointingGame.value, 1);
  const none = summariseLocalisation([map("c", false, { blankMap: true })]);
  assert.equal(none.blank, 1);
  assert.deepEqual(none.pointingGame, { value: null, ci: null, chance: null });
});

test("the interval resamples images: pooling two seeds' identical maps does not narrow it", () => {
  const one = Array.from({ length: 30 }, (_, i) => map(`im${i}`, i % 3 === 0));
  const twice = [...one, ...one.map((m) => ({ ...m }))];
  const a = summariseLocalisation(one);
  const b = summariseLocalisation(twice);
  assert.equal(b.maps, 60);
  assert.equal(b.images, 30);
  assert.ok(Math.abs(a.pointingGame.ci!.low - b.pointingGame.ci!.low) < 1e-12);
  assert.ok(Math.abs(a.pointingGame.ci!.high - b.pointingGame.ci!.high) < 1e-12);
});

test("for a proportion on many images the bootstrap interval is close to the normal-theory one", () => {
  const n = 400;
  const maps = Array.from({ length: n }, (_, i) => map(`im${i}`, i % 10 < 3));
  const s = summariseLocalisation(maps, { resamples: 4000 });
  const half = 1.96 * Math.sqrt((0.3 * 0.7) / n);
  assert.ok(Math.abs(s.pointingGame.ci!.low - (0.3 - half)) < 0.01, JSON.stringify(s.pointingGame));
  assert.ok(Math.abs(s.pointingGame.ci!.high - (0.3 + half)) < 0.01, JSON.stringify(s.pointingGame));
});
