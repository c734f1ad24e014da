import assert from "node:assert/strict";

/** Fails unless `actual` is a number within `tolerance` of `expected` (null counts as a failure). */
export function assertClose(actual: number | null, expected: number, tolerance = 1e-12, label = ""): void {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${label ? `${label}: ` : ""}expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}
