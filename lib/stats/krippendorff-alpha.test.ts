import { test } from "node:test";
import assert from "node:assert/strict";
import { coincidences, krippendorffAlpha, krippendorffAlphaNominalFromTable } from "./krippendorff-alpha";
import { buildRatingTable } from "./rating-table";
import {
  GWET_SIX_RATERS,
  GWET_TWO_ABSTRACTORS,
  KRIPPENDORFF_FOUR_OBSERVERS,
  answersFromContingency,
  answersFromReaderColumns,
} from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

test("Krippendorff (2011) four observers, twelve units with missing values: nominal α = 0.743", () => {
  const answers = answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS);
  assertClose(krippendorffAlpha(answers), 0.743, 5e-4);
  assertClose(krippendorffAlpha(answers), 0.74342, 5e-6); // irrCAC's cac.raw4raters, the same data
});

test("the coincidence matrix has the paper's n = 40 pairable values and marginals 9, 13, 10, 5, 3, Σ o_cc = 32", () => {
  const table = buildRatingTable(answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS));
  assert.deepEqual(table.choices, ["1", "2", "3", "4", "5"]);
  const c = coincidences(table.counts);
  assert.equal(c.pairable, 40);
  assert.deepEqual(c.marginals, [9, 13, 10, 5, 3]);
  assertClose(c.matching, 32, 1e-12); // diagonal o_11..o_55 = 7, 10, 8, 4, 3
});

test("irrCAC examples: distrib.6raters α = 0.4204384, cont3x3abstractors α = 0.7972585", () => {
  assertClose(krippendorffAlphaNominalFromTable(GWET_SIX_RATERS), 0.4204384, 1e-7);
  assertClose(
    krippendorffAlpha(answersFromContingency(GWET_TWO_ABSTRACTORS.table, GWET_TWO_ABSTRACTORS.categories)),
    0.7972585,
    1e-7,
  );
});

test("null when nothing is pairable or all pairable values agree on one category", () => {
  assert.equal(
    krippendorffAlphaNominalFromTable([
      [1, 0],
      [0, 1],
    ]),
    null,
  );
  assert.equal(
    krippendorffAlphaNominalFromTable([
      [2, 0],
      [3, 0],
      [0, 1],
    ]),
    null,
  );
  assert.equal(
    krippendorffAlphaNominalFromTable([
      [2, 0],
      [0, 3],
      [1, 0],
    ]),
    1,
  );
});
