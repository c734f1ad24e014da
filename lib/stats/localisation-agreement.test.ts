import { test } from "node:test";
import assert from "node:assert/strict";
import type { Answer } from "./answers";
import { localisationAgreement } from "./localisation-agreement";
import { wilsonInterval } from "./wilson";

test("share of answers naming a best-localising arm, with Wilson interval and chance level", () => {
  const answers: Answer[] = [
    { caseId: "c1", readerId: "r1", choice: "CBAM" },
    { caseId: "c1", readerId: "r2", choice: "SE" },
    { caseId: "c2", readerId: "r1", choice: "GC" },
    { caseId: "c2", readerId: "r2", choice: "SE" },
    { caseId: "c2", readerId: "r3", choice: null },
    { caseId: "c3", readerId: "r1", choice: "SE" }, // no metric for c3: not counted
  ];
  const best = new Map([
    ["c1", ["CBAM"]],
    ["c2", ["GC", "SE"]],
  ]);
  const r = localisationAgreement(answers, best, 4);
  const ci = wilsonInterval(3, 4)!;
  assert.deepEqual(r, {
    n_answers: 4,
    n_matches: 3,
    share: 0.75,
    ci_low: ci.low,
    ci_high: ci.high,
    chance_share: (0.25 * 2 + 0.5 * 2) / 4,
  });
});

test("no known best arms gives nulls", () => {
  const r = localisationAgreement([{ caseId: "c", readerId: "r", choice: "SE" }], new Map(), 4);
  assert.equal(r.share, null);
  assert.equal(r.chance_share, null);
  assert.throws(() => localisationAgreement([], new Map(), 0), RangeError);
});
