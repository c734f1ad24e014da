import { test } from "node:test";
import assert from "node:assert/strict";
import { gwetAc1, gwetAc1FromTable } from "./gwet-ac1";
import { buildRatingTable } from "./rating-table";
import {
  COHEN_FIFTY_PROPOSALS,
  GWET_SIX_RATERS,
  GWET_TWO_ABSTRACTORS,
  KRIPPENDORFF_FOUR_OBSERVERS,
  answersFromContingency,
  answersFromCountTable,
  answersFromReaderColumns,
} from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

test("irrCAC distrib.6raters (Gwet 2014): AC1 = 0.4448007", () => {
  assertClose(gwetAc1FromTable(GWET_SIX_RATERS), 0.4448007, 1e-7);
  assertClose(gwetAc1(answersFromCountTable(GWET_SIX_RATERS)), 0.4448007, 1e-7);
});

test("irrCAC cont3x3abstractors, two raters (Gwet 2014): AC1 = 0.8493305", () => {
  const answers = answersFromContingency(GWET_TWO_ABSTRACTORS.table, GWET_TWO_ABSTRACTORS.categories);
  assertClose(gwetAc1(answers), 0.8493305, 1e-7);
});

test("missing-data form on Krippendorff's 4 × 12 data (irrCAC cac.raw4raters): AC1 = 0.77544", () => {
  const table = buildRatingTable(answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS));
  assertClose(gwetAc1FromTable(table.counts), 0.77544, 5e-6);
});

test("the answers-level AC1 is null when cases have unequal numbers of answers", () => {
  assert.equal(gwetAc1(answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS)), null);
});

test("hand computation on the 50-proposal example, and declared choices change q", () => {
  // π_yes = (25 + 30)/100 = 0.55, π_no = 0.45; p_e = 2·0.55·0.45/(2 - 1) = 0.495; p_a = 35/50 = 0.7;
  // AC1 = (0.7 - 0.495)/(1 - 0.495) = 0.405940594...
  const answers = answersFromContingency(COHEN_FIFTY_PROPOSALS.table, COHEN_FIFTY_PROPOSALS.categories);
  assertClose(gwetAc1(answers), 0.205 / 0.505, 1e-12);
  // With a third, never-chosen option q = 3: p_e = 0.495/2 = 0.2475; AC1 = 0.4525/0.7525.
  assertClose(gwetAc1(answers, ["Yes", "No", "Maybe"]), 0.4525 / 0.7525, 1e-12);
});

test("null with a single category or nobody rated twice", () => {
  assert.equal(gwetAc1FromTable([[2], [3]]), null);
  assert.equal(
    gwetAc1FromTable([
      [1, 0],
      [0, 1],
    ]),
    null,
  );
  assert.equal(gwetAc1FromTable([]), null);
});
