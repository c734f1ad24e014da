import { test } from "node:test";
import assert from "node:assert/strict";
import type { Answer } from "./answers";
import { perCaseMajority } from "./majority";

const rows: Array<[string, string, string | null]> = [
  ["c1", "r1", "SE"],
  ["c1", "r2", "SE"],
  ["c1", "r3", "GC"],
  ["c2", "r1", "SE"],
  ["c2", "r2", "GC"],
  ["c2", "r3", null],
  ["c3", "r1", null],
  ["c3", "r2", ""],
];
const answers: Answer[] = rows.map(([caseId, readerId, choice]) => ({ caseId, readerId, choice }));

test("majority and its share per case; ties reported as ties; empty cases have no majority", () => {
  const result = perCaseMajority(answers);
  assert.deepEqual(result, [
    { case_id: "c1", n_answers: 3, n_missing: 0, counts: { GC: 1, SE: 2 }, majority: "SE", tied: [], share: 2 / 3 },
    {
      case_id: "c2",
      n_answers: 2,
      n_missing: 1,
      counts: { GC: 1, SE: 1 },
      majority: null,
      tied: ["GC", "SE"],
      share: 0.5,
    },
    { case_id: "c3", n_answers: 0, n_missing: 2, counts: { GC: 0, SE: 0 }, majority: null, tied: [], share: null },
  ]);
});

test("declared choices appear in the counts even when nobody chose them", () => {
  const [c1] = perCaseMajority(answers, ["baseline", "SE", "CBAM", "GC"]);
  assert.deepEqual(c1.counts, { baseline: 0, SE: 2, CBAM: 0, GC: 1 });
});
