import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { stratifiedSplit, validationCountForClass } from "./split";

function labels(pos: number, neg: number) {
  return [...Array<number>(pos).fill(1), ...Array<number>(neg).fill(0)].map((label, i) => ({ label: label as 0 | 1, key: `img-${i}` }));
}

describe("stratifiedSplit", () => {
  test("80/20 per class, disjoint and complete", () => {
    const items = labels(155, 98);
    const { trainIndices, validationIndices } = stratifiedSplit(items, { seed: 7 });
    assert.equal(trainIndices.length + validationIndices.length, 253);
    assert.equal(new Set([...trainIndices, ...validationIndices]).size, 253);
    const valPos = validationIndices.filter((i) => items[i].label === 1).length;
    const valNeg = validationIndices.length - valPos;
    assert.equal(valPos, 31); // round(155 * 0.2)
    assert.equal(valNeg, 20); // round(98 * 0.2) = round(19.6)
  });

  test("same seed gives the same split; another seed a different one", () => {
    const items = labels(50, 50);
    const a = stratifiedSplit(items, { seed: 1 });
    const b = stratifiedSplit(items, { seed: 1 });
    const c = stratifiedSplit(items, { seed: 2 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.validationIndices, c.validationIndices);
  });

  test("independent of input order when keys are given", () => {
    const items = labels(30, 20);
    const reversed = items.slice().reverse();
    const a = stratifiedSplit(items, { seed: 3 }).validationIndices.map((i) => items[i].key).sort();
    const b = stratifiedSplit(reversed, { seed: 3 }).validationIndices.map((i) => reversed[i].key).sort();
    assert.deepEqual(a, b);
  });

  test("small classes keep one item on each side; singletons stay in training", () => {
    assert.equal(validationCountForClass(2, 0.2), 1);
    assert.equal(validationCountForClass(3, 0.2), 1);
    assert.equal(validationCountForClass(1, 0.2), 0);
    assert.equal(validationCountForClass(10, 0.2), 2);
    const items = labels(2, 1);
    const { trainIndices, validationIndices } = stratifiedSplit(items, { seed: 0 });
    assert.equal(validationIndices.length, 1);
    assert.equal(items[validationIndices[0]].label, 1);
    assert.equal(trainIndices.length, 2);
  });

  test("rejects duplicate keys and bad shares", () => {
    assert.throws(() => stratifiedSplit([{ label: 0, key: "a" }, { label: 1, key: "a" }], { seed: 0 }), /unique/);
    assert.throws(() => stratifiedSplit(labels(3, 3), { seed: 0, validationShare: 1 }), RangeError);
  });
});
