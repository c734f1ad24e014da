import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { AnswerDataError } from "./answers";
import { cohenKappaWithInterval } from "./cohen-kappa-interval";
import { intraReaderAgreement, intraReaderByGroup, type RepeatedReading } from "./intra-reader-agreement";
import { COHEN_FIFTY_PROPOSALS, GWET_TWO_ABSTRACTORS } from "../testing/stats-worked-examples";
import { assertClose } from "../testing/assert-close";

/** irr::kappa2 on ramnathv's RExRepos example (rtr1 × rtr2, categories V, N, P): Kappa = 0.429, z = 5.46, p = 4.79e-08. */
const IRR_KAPPA2 = [
  [53, 5, 2],
  [11, 14, 5],
  [1, 6, 3],
];

/**
 * Independent check of the non-null SE: the delta method on the multinomial cell proportions, with the
 * gradient of κ(p) taken by finite differences: Var = (Σ p g² − (Σ p g)²) / n.
 */
function deltaMethodSe(table: number[][]): number {
  const n = table.flat().reduce((s, v) => s + v, 0);
  const q = table.length;
  const kappaOf = (p: number[][]) => {
    const rows = p.map((r) => r.reduce((s, v) => s + v, 0));
    const cols = p[0].map((_, j) => p.reduce((s, r) => s + r[j], 0));
    const po = p.reduce((s, r, i) => s + r[i], 0);
    const pe = rows.reduce((s, r, i) => s + r * cols[i], 0);
    return (po - pe) / (1 - pe);
  };
  const p = table.map((r) => r.map((v) => v / n));
  const h = 1e-7;
  let mean = 0;
  let square = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const up = p.map((r) => [...r]);
      const down = p.map((r) => [...r]);
      up[i][j] += h;
      down[i][j] -= h;
      const g = (kappaOf(up) - kappaOf(down)) / (2 * h);
      mean += p[i][j] * g;
      square += p[i][j] * g * g;
    }
  }
  return Math.sqrt((square - mean * mean) / n);
}

describe("cohenKappaWithInterval", () => {
  test("irr::kappa2 example: κ = 0.429, z = 5.46, p = 4.79e-08", () => {
    const r = cohenKappaWithInterval(IRR_KAPPA2);
    assert.ok(r.defined);
    assertClose(r.kappa, 0.429, 5e-4, "kappa");
    assertClose(r.z, 5.46, 5e-3, "z");
    assertClose(r.p_value, 4.79e-8, 5e-10, "p");
    assert.equal(r.n, 100);
  });
  test("non-null SE equals the delta-method SE; interval is κ ± 1.96 SE", () => {
    for (const table of [IRR_KAPPA2, COHEN_FIFTY_PROPOSALS.table, GWET_TWO_ABSTRACTORS.table]) {
      const r = cohenKappaWithInterval(table);
      assert.ok(r.defined);
      assertClose(r.se, deltaMethodSe(table), 1e-6, "se");
      assertClose(r.ci_low, r.kappa - 1.959963984540054 * r.se, 1e-12);
    }
    const wiki = cohenKappaWithInterval(COHEN_FIFTY_PROPOSALS.table);
    assert.ok(wiki.defined);
    assertClose(wiki.kappa, 0.4, 1e-12, "Wikipedia's κ = 0.4");
    const gwet = cohenKappaWithInterval(GWET_TWO_ABSTRACTORS.table);
    assert.ok(gwet.defined);
    assertClose(gwet.kappa, 0.7964094, 1e-7, "irrCAC's κ");
  });
  test("undefined with one pair or chance agreement 1", () => {
    assert.equal(cohenKappaWithInterval([[1]]).defined, false);
    assert.equal(
      cohenKappaWithInterval([
        [5, 0],
        [0, 0],
      ]).defined,
      false,
    );
  });
});

describe("intraReaderAgreement", () => {
  const readings: RepeatedReading[] = [];
  // Reader r1 re-reads the Wikipedia table (κ = 0.4); r2 answers identically twice on two choices (κ = 1);
  // r3 repeats only one case (undefined); r4 always picks A (chance agreement 1, undefined).
  COHEN_FIFTY_PROPOSALS.table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        readings.push({
          readerId: "r1",
          caseId: `p${readings.length}`,
          first: COHEN_FIFTY_PROPOSALS.categories[i],
          repeat: COHEN_FIFTY_PROPOSALS.categories[j],
        });
      }
    }),
  );
  readings.push(
    { readerId: "r2", caseId: "c1", first: "Yes", repeat: "Yes" },
    { readerId: "r2", caseId: "c2", first: "No", repeat: "No" },
    { readerId: "r2", caseId: "c3", first: "No", repeat: null },
    { readerId: "r3", caseId: "c1", first: "Yes", repeat: "No" },
    { readerId: "r4", caseId: "c1", first: "Yes", repeat: "Yes" },
    { readerId: "r4", caseId: "c2", first: "Yes", repeat: "Yes" },
  );
  test("per-reader kappa, reasons when undefined, and the mean of the defined ones", () => {
    const r = intraReaderAgreement(readings);
    const byReader = Object.fromEntries(r.readers.map((x) => [x.readerId, x]));
    assert.ok(byReader.r1.kappa.defined);
    assertClose(byReader.r1.kappa.kappa, 0.4, 1e-12);
    assert.ok(byReader.r2.kappa.defined);
    assertClose(byReader.r2.kappa.kappa, 1, 1e-12);
    assert.equal(byReader.r2.n_pairs, 2);
    assert.equal(byReader.r3.kappa.defined, false);
    assert.equal(byReader.r4.kappa.defined, false);
    assert.ok(r.mean_kappa.defined);
    assertClose(r.mean_kappa.kappa, 0.7, 1e-12);
    assert.equal(r.mean_kappa.n_readers, 2);
  });
  test("per group: the mean of the group's defined kappas; readers without a group fall under the label", () => {
    const groups = intraReaderByGroup(
      intraReaderAgreement(readings),
      new Map([
        ["r1", "radiology"],
        ["r2", "dermatology"],
        ["r3", "dermatology"],
      ]),
    );
    assert.deepEqual(
      groups.map((g) => [g.group, g.n_readers, g.mean_kappa.defined]),
      [
        ["(no group)", 1, false],
        ["dermatology", 2, true],
        ["radiology", 1, true],
      ],
    );
    const dermatology = groups[1].mean_kappa;
    const radiology = groups[2].mean_kappa;
    assert.ok(dermatology.defined && radiology.defined);
    assertClose(dermatology.kappa, 1, 1e-12); // r3's kappa is undefined, so only r2 counts
    assert.equal(dermatology.n_readers, 1);
    assertClose(radiology.kappa, 0.4, 1e-12);
  });
  test("duplicates and unknown choices are refused", () => {
    assert.throws(
      () =>
        intraReaderAgreement([
          { readerId: "r", caseId: "c", first: "A", repeat: "A" },
          { readerId: "r", caseId: "c", first: "A", repeat: "B" },
        ]),
      AnswerDataError,
    );
    assert.throws(
      () => intraReaderAgreement([{ readerId: "r", caseId: "c", first: "A", repeat: "Z" }], ["A", "B"]),
      AnswerDataError,
    );
  });
});
