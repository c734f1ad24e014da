import { test } from "node:test";
import assert from "node:assert/strict";
import { readAnswerRows } from "./answers-csv";

test("a tidy best-map row without an arm (none, cannot decide) is a missing choice, not an arm", () => {
  const csv = [
    "reader,case_id,question,question_id,arm,answer",
    "R-1,c1,best_map,q1,se,se",
    "R-2,c1,best_map,q1,,none",
    "R-2,c2,best_map,q1,,cannot_decide",
    "R-1,c1,rating,q2,se,4",
  ].join("\r\n");
  const { answers } = readAnswerRows(csv);
  assert.deepEqual(
    answers.map((a) => a.choice),
    ["se", null, null],
  );
});
