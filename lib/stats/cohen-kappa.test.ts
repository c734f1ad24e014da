import { test } from "node:test";
import assert from "node:assert/strict";
import type { Answer } from "./answers";
import { cohenKappa, cohenKappaFromContingency, cohenKappaFromPairs, pairwiseCohenKappa } from "./cohen-kappa";
import { COHEN_FIFTY_PROPOSALS, GWET_TWO_ABSTRACTORS, answersFromContingency } from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

test("Wikipedia's 50-proposal example: p_o = 0.7, p_e = 0.5, κ = 0.4", () => {
  assertClose(cohenKappaFromContingency(COHEN_FIFTY_PROPOSALS.table), 0.4, 1e-12);
  const answers = answersFromContingency(COHEN_FIFTY_PROPOSALS.table, COHEN_FIFTY_PROPOSALS.categories);
  assertClose(cohenKappa(answers, "A", "B"), 0.4, 1e-12);
  assertClose(cohenKappa(answers, "B", "A"), 0.4, 1e-12);
});

test("irrCAC cont3x3abstractors (Gwet 2014): κ = 0.7964094", () => {
  assertClose(cohenKappaFromContingency(GWET_TWO_ABSTRACTORS.table), 0.7964094, 1e-7);
});

test("undefined (null) when both readers used one and the same choice throughout", () => {
  assert.equal(
    cohenKappaFromPairs([
      ["x", "x"],
      ["x", "x"],
    ]),
    null,
  );
  assert.equal(cohenKappaFromPairs([]), null);
  // One reader constant, the other not: p_e < 1, κ = 0.
  assertClose(
    cohenKappaFromPairs([
      ["x", "x"],
      ["x", "y"],
    ]),
    0,
    1e-12,
  );
});

test("mean pairwise kappa: shared cases only, pairs below 2 shared cases skipped, undefined pairs excluded", () => {
  const rows: Array<[string, string, string | null]> = [
    // R1 and R2 share c1..c4: agreements on 3 of 4.
    ["c1", "R1", "a"],
    ["c2", "R1", "b"],
    ["c3", "R1", "a"],
    ["c4", "R1", "b"],
    ["c1", "R2", "a"],
    ["c2", "R2", "b"],
    ["c3", "R2", "a"],
    ["c4", "R2", "a"],
    // R3 answered c1 and c3 only (c2 missing): with R1 and R2 it always says "a" like them → p_e = 1.
    ["c1", "R3", "a"],
    ["c2", "R3", null],
    ["c3", "R3", "a"],
    // R4 shares one case with everyone: no pair.
    ["c4", "R4", "b"],
  ];
  const answers: Answer[] = rows.map(([caseId, readerId, choice]) => ({ caseId, readerId, choice }));
  const result = pairwiseCohenKappa(answers);
  const r12 = cohenKappaFromPairs([
    ["a", "a"],
    ["b", "b"],
    ["a", "a"],
    ["b", "a"],
  ])!;
  assertClose(r12, 0.5, 1e-12); // p_o = 0.75, p_e = 0.5·0.75 + 0.5·0.25 = 0.5
  assert.equal(result.n_pairs, 3);
  assert.equal(result.n_pairs_defined, 1);
  assert.equal(result.n_pairs_undefined, 2);
  assertClose(result.mean, r12, 1e-12);
  assert.deepEqual(
    result.pairs.map((p) => [p.reader_a, p.reader_b, p.n_shared]),
    [
      ["R1", "R2", 4],
      ["R1", "R3", 2],
      ["R2", "R3", 2],
    ],
  );
});

test("no eligible pair gives a null mean", () => {
  const r = pairwiseCohenKappa([
    { caseId: "c", readerId: "a", choice: "x" },
    { caseId: "c", readerId: "b", choice: "y" },
  ]);
  assert.equal(r.mean, null);
  assert.equal(r.n_pairs, 0);
});
