import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { allocate, majorityCorrect, sampleCases, stratumKey, type CandidateCase } from "./case-sampling";
import { isDomainError } from "../errors/domain-error";

const invalidInput = (e: unknown) => isDomainError(e, "invalid");

/** n candidates per (label, correct) cell with 4 arms: correct => 3 of 4 right, wrong => 1 of 4 right. */
function pool(cells: Record<string, number>): CandidateCase[] {
  const out: CandidateCase[] = [];
  for (const [key, n] of Object.entries(cells)) {
    const [label, correct] = key.split("|");
    for (let i = 0; i < n; i++) {
      out.push({
        imageId: `img-${key}-${String(i).padStart(3, "0")}`,
        label: Number(label),
        armsCorrect: correct === "correct" ? 3 : 1,
        armCount: 4,
      });
    }
  }
  return out;
}

const cellOf = (c: CandidateCase) => stratumKey(c.label, majorityCorrect(c));

describe("majorityCorrect", () => {
  test("needs a strict majority; a tie is not a majority", () => {
    assert.equal(majorityCorrect({ armsCorrect: 3, armCount: 4 }), true);
    assert.equal(majorityCorrect({ armsCorrect: 2, armCount: 4 }), false);
    assert.equal(majorityCorrect({ armsCorrect: 2, armCount: 3 }), true);
  });
});

describe("allocate", () => {
  test("is proportional with largest remainders and sums to the size", () => {
    const a = allocate(
      new Map([
        ["a", 60],
        ["b", 30],
        ["c", 10],
      ]),
      10,
    );
    assert.deepEqual(Object.fromEntries(a), { a: 6, b: 3, c: 1 });
    const b = allocate(
      new Map([
        ["a", 50],
        ["b", 25],
        ["c", 25],
      ]),
      7,
    );
    assert.equal(
      [...b.values()].reduce((s, v) => s + v, 0),
      7,
    );
    // exact shares 3.5, 1.75, 1.75 -> 3, 1, 1, and the two leftover cases go to the largest remainders b, c
    assert.deepEqual(Object.fromEntries(b), { a: 3, b: 2, c: 2 });
  });

  test("every non-empty stratum is represented when the size allows, capacities are respected", () => {
    const a = allocate(
      new Map([
        ["big", 200],
        ["rare", 1],
        ["empty", 0],
      ]),
      5,
    );
    assert.deepEqual(Object.fromEntries(a), { big: 4, rare: 1 });
    const full = allocate(
      new Map([
        ["x", 2],
        ["y", 3],
      ]),
      5,
    );
    assert.deepEqual(Object.fromEntries(full), { x: 2, y: 3 });
  });

  test("refuses more cases than exist", () => {
    assert.throws(() => allocate(new Map([["x", 2]]), 3), invalidInput);
  });
});

describe("sampleCases", () => {
  const candidates = pool({ "0|correct": 40, "0|wrong": 10, "1|correct": 30, "1|wrong": 20 });

  test("stratifies by class and majority correctness", () => {
    const s = sampleCases(candidates, { size: 20, seed: 7 });
    assert.equal(s.imageIds.length, 20);
    assert.equal(new Set(s.imageIds).size, 20);
    const byId = new Map(candidates.map((c) => [c.imageId, c]));
    const counts: Record<string, number> = {};
    for (const id of s.imageIds) counts[cellOf(byId.get(id)!)] = (counts[cellOf(byId.get(id)!)] ?? 0) + 1;
    // exact proportional shares of 20 over 40:10:30:20
    assert.deepEqual(counts, { "0|correct": 8, "0|wrong": 2, "1|correct": 6, "1|wrong": 4 });
    assert.deepEqual(
      s.strata.map((x) => [x.key, x.available, x.chosen]),
      [
        ["0|correct", 40, 8],
        ["0|wrong", 10, 2],
        ["1|correct", 30, 6],
        ["1|wrong", 20, 4],
      ],
    );
  });

  test("the same seed gives the same sample whatever the input order; another seed differs", () => {
    const a = sampleCases(candidates, { size: 12, seed: 123 });
    const b = sampleCases([...candidates].reverse(), { size: 12, seed: 123 });
    assert.deepEqual(a.imageIds, b.imageIds);
    const c = sampleCases(candidates, { size: 12, seed: 124 });
    assert.notDeepEqual(new Set(a.imageIds), new Set(c.imageIds));
  });

  test("size bounds: 1 to the number of candidates, whole numbers only", () => {
    assert.equal(sampleCases(candidates, { size: 100, seed: 1 }).imageIds.length, 100);
    assert.equal(sampleCases(candidates, { size: 1, seed: 1 }).imageIds.length, 1);
    assert.throws(() => sampleCases(candidates, { size: 101, seed: 1 }), /only 100 are eligible/);
    assert.throws(() => sampleCases(candidates, { size: 0, seed: 1 }), invalidInput);
    assert.throws(() => sampleCases(candidates, { size: 2.5, seed: 1 }), invalidInput);
    assert.throws(() => sampleCases(candidates, { size: 3, seed: -1 }), invalidInput);
  });

  test("duplicate candidates are refused", () => {
    assert.throws(() => sampleCases([candidates[0], candidates[0]], { size: 1, seed: 1 }), /listed twice/);
  });

  test("case order mixes the strata rather than listing them block by block", () => {
    const s = sampleCases(candidates, { size: 40, seed: 99 });
    const byId = new Map(candidates.map((c) => [c.imageId, c]));
    const firstTen = new Set(s.imageIds.slice(0, 10).map((id) => cellOf(byId.get(id)!)));
    assert.ok(firstTen.size >= 2, "first ten cases all from one stratum");
  });
});
