// Properties every agreement coefficient must have, checked on random reader studies with fast-check:
// invariance to renaming choices, readers and cases and to row order, and 1 for perfect agreement.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Answer } from "./answers";
import { meanPairwiseCohenKappa } from "./cohen-kappa";
import { fleissKappa } from "./fleiss-kappa";
import { gwetAc1 } from "./gwet-ac1";
import { krippendorffAlpha } from "./krippendorff-alpha";
import { summarize } from "./summary";

const CHOICES = ["SE", "CBAM", "GC", "baseline"];

interface Study {
  answers: Answer[];
}

// Random studies: 2-8 cases, 2-6 readers, each cell a choice or (sometimes) missing.
const studyArbitrary: fc.Arbitrary<Study> = fc
  .record({
    cases: fc.integer({ min: 2, max: 8 }),
    readers: fc.integer({ min: 2, max: 6 }),
    missingRate: fc.constantFrom(0, 0, 0.2),
  })
  .chain(({ cases, readers, missingRate }) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: CHOICES.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: cases * readers,
        maxLength: cases * readers,
      })
      .map((cells) => ({
        answers: cells.map(([choice, u], index) => ({
          caseId: `case-${Math.floor(index / readers)}`,
          readerId: `reader-${index % readers}`,
          choice: u < missingRate ? null : CHOICES[choice],
        })),
      })),
  );

function coefficients(answers: Answer[]): Array<number | null> {
  return [fleissKappa(answers), gwetAc1(answers), krippendorffAlpha(answers), meanPairwiseCohenKappa(answers)];
}

function sameValues(a: Array<number | null>, b: Array<number | null>): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    if (x === null || b[i] === null) assert.equal(x, b[i], `coefficient ${i}: ${x} vs ${b[i]}`);
    else assert.ok(Math.abs(x - b[i]) < 1e-9, `coefficient ${i}: ${x} vs ${b[i]}`);
  });
}

// A seeded shuffle driven by fast-check's own random source keeps runs reproducible.
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length] + i * 1e-9 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

test("renaming the choices (any bijection, changing their sort order) changes no coefficient", () => {
  fc.assert(
    fc.property(
      studyArbitrary,
      fc.shuffledSubarray(["zeta", "alpha", "mu", "beta"], { minLength: 4, maxLength: 4 }),
      ({ answers }, names) => {
        const rename = new Map(CHOICES.map((c, i) => [c, names[i]]));
        const renamed = answers.map((a) => ({ ...a, choice: a.choice === null ? null : rename.get(a.choice)! }));
        sameValues(coefficients(answers), coefficients(renamed));
        const s1 = summarize(answers);
        const s2 = summarize(renamed);
        // Same multiset of counts, summed in another order: equal up to rounding.
        sameValues(
          [s1.chi_square?.statistic ?? null, s1.exact_p?.p ?? null],
          [s2.chi_square?.statistic ?? null, s2.exact_p?.p ?? null],
        );
      },
    ),
    { seed: 1, numRuns: 150 },
  );
});

test("reordering rows and renaming readers and cases changes no coefficient", () => {
  fc.assert(
    fc.property(
      studyArbitrary,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
      ({ answers }, keys) => {
        const readerNames = permute([...new Set(answers.map((a) => a.readerId))], keys);
        const caseNames = permute([...new Set(answers.map((a) => a.caseId))], keys.slice().reverse());
        const readerMap = new Map(
          [...new Set(answers.map((a) => a.readerId))].map((r, i) => [r, `Z${readerNames[i]}`]),
        );
        const caseMap = new Map([...new Set(answers.map((a) => a.caseId))].map((c, i) => [c, `#${caseNames[i]}`]));
        const moved = permute(answers, keys).map((a) => ({
          ...a,
          readerId: readerMap.get(a.readerId)!,
          caseId: caseMap.get(a.caseId)!,
        }));
        sameValues(coefficients(answers), coefficients(moved));
      },
    ),
    { seed: 2, numRuns: 150 },
  );
});

test("perfect agreement gives 1 for every coefficient (when at least two choices are used)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: CHOICES.length - 1 }), { minLength: 2, maxLength: 10 }),
      fc.integer({ min: 2, max: 6 }),
      (caseChoices, readers) => {
        fc.pre(new Set(caseChoices).size >= 2);
        const answers: Answer[] = caseChoices.flatMap((c, i) =>
          Array.from({ length: readers }, (_, r) => ({ caseId: `c${i}`, readerId: `r${r}`, choice: CHOICES[c] })),
        );
        for (const value of coefficients(answers))
          assert.ok(value !== null && Math.abs(value - 1) < 1e-12, `got ${value}`);
      },
    ),
    { seed: 3, numRuns: 100 },
  );
});

test("coefficients stay within their ranges: at most 1, and alpha/kappa/AC1 finite", () => {
  fc.assert(
    fc.property(studyArbitrary, ({ answers }) => {
      for (const value of coefficients(answers)) {
        if (value !== null)
          assert.ok(Number.isFinite(value) && value <= 1 + 1e-12 && value >= -1 - 1e-12, `got ${value}`);
      }
    }),
    { seed: 4, numRuns: 150 },
  );
});
