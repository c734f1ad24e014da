import { test } from "node:test";
import assert from "node:assert/strict";
import type { Answer } from "./answers";
import { AnswerDataError } from "./answers";
import { chiSquareGoodnessOfFit } from "./chi-square";
import { fleissKappaFromTable } from "./fleiss-kappa";
import { krippendorffAlpha } from "./krippendorff-alpha";
import { summarize, summarizeByGroup } from "./summary";
import { wilsonInterval } from "./wilson";
import {
  FLEISS_TEN_SUBJECTS,
  KRIPPENDORFF_FOUR_OBSERVERS,
  answersFromCountTable,
  answersFromReaderColumns,
} from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

test("summary of the Fleiss example: counts, shares with Wilson intervals, chi-square, agreement", () => {
  const answers = answersFromCountTable(FLEISS_TEN_SUBJECTS);
  const s = summarize(answers);
  assert.equal(s.n_answers, 140);
  assert.equal(s.n_missing, 0);
  assert.equal(s.n_cases, 10);
  assert.equal(s.n_readers, 14);
  assert.deepEqual(s.counts, { c1: 20, c2: 28, c3: 39, c4: 21, c5: 32 });
  const c3 = s.shares.find((x) => x.choice === "c3")!;
  const ci = wilsonInterval(39, 140)!;
  assert.deepEqual(c3, { choice: "c3", count: 39, share: 39 / 140, ci_low: ci.low, ci_high: ci.high });
  assert.deepEqual(s.chi_square, chiSquareGoodnessOfFit([20, 28, 39, 21, 32]));
  assert.equal(s.expected_per_choice, 28);
  assert.equal(s.exact_p, null);
  assertClose(s.fleiss_kappa, fleissKappaFromTable(FLEISS_TEN_SUBJECTS)!, 1e-15);
  assert.equal(typeof s.gwet_ac1, "number");
  assert.equal(typeof s.krippendorff_alpha, "number");
  assert.equal(s.per_case.length, 10);
  assert.equal(s.per_case[0].majority, "c5");
  assert.equal(s.per_case[0].share, 1);
  JSON.parse(JSON.stringify(s)); // JSON-ready
});

test("missing answers: Krippendorff's example gives alpha, null Fleiss/Gwet with a note", () => {
  const answers = answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS);
  const s = summarize(answers);
  assert.equal(s.n_answers, 41);
  assert.equal(s.n_missing, 7);
  assert.equal(s.fleiss_kappa, null);
  assert.equal(s.gwet_ac1, null);
  assertClose(s.krippendorff_alpha, krippendorffAlpha(answers)!, 1e-15);
  assert.ok(s.notes.some((n) => n.startsWith("fleiss_kappa, gwet_ac1:") && n.includes("from 1 to 4")));
  // 41 answers over 5 choices: expected 8.2, no exact test.
  assert.equal(s.exact_p, null);
});

test("small samples get an exact multinomial p; declared arms count even when never chosen", () => {
  const answers: Answer[] = [
    { caseId: "c1", readerId: "r1", choice: "SE" },
    { caseId: "c1", readerId: "r2", choice: "SE" },
    { caseId: "c2", readerId: "r1", choice: "SE" },
    { caseId: "c2", readerId: "r2", choice: "GC" },
  ];
  const s = summarize(answers, { choices: ["baseline", "SE", "CBAM", "GC"] });
  assert.deepEqual(s.counts, { baseline: 0, SE: 3, CBAM: 0, GC: 1 });
  assert.equal(s.chi_square!.df, 3);
  assert.equal(s.exact_p!.method, "enumeration");
  // Outcomes of 4 answers over 4 arms at most as likely as (3,1,0,0): patterns (3,1,0,0) and (4,0,0,0):
  // 12·4/256 + 4·1/256 = 52/256.
  assertClose(s.exact_p!.p, 52 / 256, 1e-12);
  assert.ok(s.notes.some((n) => n.startsWith("exact_p:")));
  const mc = summarize(answers, {
    choices: ["baseline", "SE", "CBAM", "GC"],
    exact: { maxPatterns: 1, draws: 2000, seed: 3 },
  });
  assert.deepEqual([mc.exact_p!.method, mc.exact_p!.draws, mc.exact_p!.seed], ["monte_carlo", 2000, 3]);
});

test("no answers at all: nulls everywhere, with notes, and no crash", () => {
  const s = summarize([{ caseId: "c1", readerId: "r1", choice: null }]);
  assert.equal(s.n_answers, 0);
  assert.equal(s.chi_square, null);
  assert.equal(s.fleiss_kappa, null);
  assert.equal(s.krippendorff_alpha, null);
  assert.equal(s.mean_pairwise_cohen_kappa, null);
  assert.ok(s.notes.length >= 3);
});

test("duplicate (case, reader) answers and undeclared choices are refused with a clear error", () => {
  const dup: Answer[] = [
    { caseId: "c1", readerId: "r1", choice: "a" },
    { caseId: "c1", readerId: "r1", choice: "b" },
  ];
  assert.throws(
    () => summarize(dup),
    (e: unknown) => e instanceof AnswerDataError && /r1.*c1.*more than once/.test(e.message),
  );
  assert.throws(() => summarize([{ caseId: "c", readerId: "r", choice: "x" }], { choices: ["a"] }), AnswerDataError);
});

test("breakdown by reader group uses the overall choices for every group", () => {
  const answers: Answer[] = [
    { caseId: "c1", readerId: "rad1", choice: "SE" },
    { caseId: "c2", readerId: "rad1", choice: "SE" },
    { caseId: "c1", readerId: "der1", choice: "GC" },
    { caseId: "c2", readerId: "der1", choice: "GC" },
    { caseId: "c1", readerId: "x", choice: "GC" },
  ];
  const groups = summarizeByGroup(answers, { rad1: "radiology", der1: "dermatology" });
  assert.deepEqual(
    groups.map((g) => [g.group, g.n_readers, g.summary.n_answers]),
    [
      ["(no group)", 1, 1],
      ["dermatology", 1, 2],
      ["radiology", 1, 2],
    ],
  );
  assert.deepEqual(groups[2].summary.counts, { GC: 0, SE: 2 });
  const viaMap = summarizeByGroup(answers, new Map([["rad1", "radiology"]]), { ungroupedLabel: "other" });
  assert.deepEqual(
    viaMap.map((g) => g.group),
    ["other", "radiology"],
  );
});
