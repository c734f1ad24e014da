// The ETA of a running run: the mean epoch time so far times the epochs left, not the last epoch alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { remainingSeconds } from "./epoch-progress";

test("the ETA uses the mean over the epochs run, so one slow epoch does not swing it", () => {
  // Epoch times varying 2.5x, as measured on a shared machine: mean 20 s, 5 epochs left
  // (the last epoch alone would say 125 s).
  assert.equal(remainingSeconds([10, 25, 25], 5), 100);
  assert.equal(remainingSeconds([12], 0), 0);
  assert.equal(remainingSeconds([], 3), 0);
  assert.equal(remainingSeconds([5, 5], -1), 0);
});
