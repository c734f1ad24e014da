import { test } from "node:test";
import assert from "node:assert/strict";
import { fleissKappa, fleissKappaFromTable } from "./fleiss-kappa";
import { FLEISS_TEN_SUBJECTS, GWET_SIX_RATERS, answersFromCountTable } from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

test("Fleiss' 10 subjects × 14 raters × 5 categories example: κ = 0.210", () => {
  assertClose(fleissKappaFromTable(FLEISS_TEN_SUBJECTS), 0.21, 5e-4);
  // Unrounded: P̄ = 0.378022, P̄e = 0.213534 → κ = 0.209931.
  assertClose(fleissKappaFromTable(FLEISS_TEN_SUBJECTS), 0.209931, 1e-6);
});

test("irrCAC distrib.6raters (Gwet 2014): κ = 0.4139265", () => {
  assertClose(fleissKappaFromTable(GWET_SIX_RATERS), 0.4139265, 1e-7);
});

test("from answers gives the same value as from the count table", () => {
  assertClose(
    fleissKappa(answersFromCountTable(FLEISS_TEN_SUBJECTS)),
    fleissKappaFromTable(FLEISS_TEN_SUBJECTS)!,
    1e-15,
  );
});

test("null when cases have unequal numbers of answers or fewer than two", () => {
  assert.equal(
    fleissKappaFromTable([
      [2, 1],
      [1, 1],
    ]),
    null,
  );
  assert.equal(
    fleissKappaFromTable([
      [1, 0],
      [0, 1],
    ]),
    null,
  );
  assert.equal(fleissKappaFromTable([]), null);
  const answers = answersFromCountTable([
    [2, 1],
    [1, 2],
  ]);
  answers[0] = { ...answers[0], choice: null };
  assert.equal(fleissKappa(answers), null);
});

test("null when every rating is in one category (chance agreement 1); 1 for perfect agreement otherwise", () => {
  assert.equal(
    fleissKappaFromTable([
      [3, 0],
      [3, 0],
    ]),
    null,
  );
  assert.equal(
    fleissKappaFromTable([
      [3, 0],
      [0, 3],
    ]),
    1,
  );
});
