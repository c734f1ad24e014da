// The statistics a study coordinator sees, as one JSON-ready object.
import {
  type Answer,
  compareCodeUnits,
  distinctSorted,
  givenAnswers,
  isMissingChoice,
  resolveChoices,
} from "./answers";
import { type ChiSquareResult, chiSquareGoodnessOfFit } from "./chi-square";
import { pairwiseCohenKappa } from "./cohen-kappa";
import { fleissKappaFromTable } from "./fleiss-kappa";
import { gwetAc1FromTable } from "./gwet-ac1";
import { krippendorffAlphaNominalFromTable } from "./krippendorff-alpha";
import { type CaseMajority, perCaseMajority } from "./majority";
import { type ExactMultinomialOptions, type ExactMultinomialResult, exactMultinomialEqualP } from "./multinomial-exact";
import { balancedRaterCount, buildRatingTable, rowTotals } from "./rating-table";
import { wilsonInterval } from "./wilson";

export interface SummaryOptions {
  /** Every possible choice (e.g. all arms of the study), in display order; default: the choices seen, sorted. */
  choices?: readonly string[];
  /** Enumeration limit and Monte Carlo draws/seed of the exact multinomial test. */
  exact?: ExactMultinomialOptions;
  /** The exact test is run when the expected count per choice is below this (default 5, the usual rule). */
  exactBelowExpected?: number;
}

export interface ChoiceShare {
  choice: string;
  count: number;
  /** count / n_answers; null when there are no answers. */
  share: number | null;
  /** Wilson 95 % score interval of the share. */
  ci_low: number | null;
  ci_high: number | null;
}

export interface StatsSummary {
  n_answers: number;
  n_missing: number;
  n_cases: number;
  n_readers: number;
  choices: string[];
  counts: Record<string, number>;
  shares: ChoiceShare[];
  /** Goodness of fit against equal preference over `choices`; null with fewer than two choices or no answers. */
  chi_square: ChiSquareResult | null;
  expected_per_choice: number | null;
  /** Exact (or Monte Carlo) multinomial p, computed only when expected_per_choice is small. */
  exact_p: ExactMultinomialResult | null;
  fleiss_kappa: number | null;
  gwet_ac1: number | null;
  krippendorff_alpha: number | null;
  mean_pairwise_cohen_kappa: number | null;
  pairwise_cohen: { n_pairs: number; n_pairs_defined: number; n_pairs_undefined: number };
  per_case: CaseMajority[];
  /** Plain-language reasons for every null above, and how exact_p was obtained. */
  notes: string[];
}

export function summarize(answers: readonly Answer[], options: SummaryOptions = {}): StatsSummary {
  const given = givenAnswers(answers);
  const choices = resolveChoices(given, options.choices);
  const table = buildRatingTable(answers, choices);
  const notes: string[] = [];

  const counts = choices.map((_, j) => table.counts.reduce((s, row) => s + row[j], 0));
  const nAnswers = given.length;
  const shares: ChoiceShare[] = choices.map((choice, j) => {
    const ci = wilsonInterval(counts[j], nAnswers);
    return {
      choice,
      count: counts[j],
      share: nAnswers === 0 ? null : counts[j] / nAnswers,
      ci_low: ci ? ci.low : null,
      ci_high: ci ? ci.high : null,
    };
  });

  const chiSquare = chiSquareGoodnessOfFit(counts);
  const expectedPerChoice = choices.length === 0 ? null : nAnswers / choices.length;
  let exactP: ExactMultinomialResult | null = null;
  if (chiSquare === null) {
    notes.push("chi-square: needs at least two choices and at least one answer.");
  } else if (expectedPerChoice !== null && expectedPerChoice < (options.exactBelowExpected ?? 5)) {
    exactP = exactMultinomialEqualP(counts, options.exact);
    if (exactP) {
      const how =
        exactP.method === "enumeration"
          ? "by complete enumeration"
          : `by Monte Carlo with ${exactP.draws} draws (seed ${exactP.seed})`;
      notes.push(
        `exact_p: expected count per choice is ${round(expectedPerChoice)} (< ${options.exactBelowExpected ?? 5}), ` +
          `so the chi-square p is approximate; exact multinomial p computed ${how}.`,
      );
    }
  }

  const balanced = balancedRaterCount(table.counts);
  const fleiss = fleissKappaFromTable(table.counts);
  const gwet = balanced === null ? null : gwetAc1FromTable(table.counts);
  if (balanced === null) {
    const totals = rowTotals(table.counts);
    const low = Math.min(...totals);
    const high = Math.max(...totals);
    const range =
      totals.length === 0
        ? "there are no cases"
        : low === high
          ? `every case has ${low} answer${low === 1 ? "" : "s"}`
          : `answers per case range from ${low} to ${high}`;
    notes.push(`fleiss_kappa, gwet_ac1: need the same number (at least 2) of answers on every case; ${range}.`);
  } else {
    if (fleiss === null)
      notes.push("fleiss_kappa: undefined because every answer is the same choice (chance agreement is 1).");
    if (gwet === null) notes.push("gwet_ac1: undefined with fewer than two choices.");
  }

  const alpha = krippendorffAlphaNominalFromTable(table.counts);
  if (alpha === null) {
    notes.push(
      "krippendorff_alpha: undefined: fewer than two pairable answers, or all pairable answers are the same choice.",
    );
  }

  const cohen = pairwiseCohenKappa(answers);
  if (cohen.n_pairs === 0) {
    notes.push("mean_pairwise_cohen_kappa: no two readers share at least two answered cases.");
  } else if (cohen.n_pairs_undefined > 0) {
    notes.push(
      `mean_pairwise_cohen_kappa: ${cohen.n_pairs_undefined} of ${cohen.n_pairs} reader pairs have an undefined kappa ` +
        "(both readers gave one and the same choice on all their shared cases) and are left out of the mean.",
    );
  }

  return {
    n_answers: nAnswers,
    n_missing: answers.filter((a) => isMissingChoice(a.choice)).length,
    n_cases: table.caseIds.length,
    n_readers: new Set(answers.map((a) => a.readerId)).size,
    choices,
    counts: Object.fromEntries(choices.map((c, j) => [c, counts[j]])),
    shares,
    chi_square: chiSquare,
    expected_per_choice: expectedPerChoice,
    exact_p: exactP,
    fleiss_kappa: fleiss,
    gwet_ac1: gwet,
    krippendorff_alpha: alpha,
    mean_pairwise_cohen_kappa: cohen.mean,
    pairwise_cohen: {
      n_pairs: cohen.n_pairs,
      n_pairs_defined: cohen.n_pairs_defined,
      n_pairs_undefined: cohen.n_pairs_undefined,
    },
    per_case: perCaseMajority(answers, choices),
    notes,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export interface GroupSummary {
  group: string;
  n_readers: number;
  summary: StatsSummary;
}

export const UNGROUPED_LABEL = "(no group)";

/**
 * One summary per reader group (e.g. specialty), over the answers of that group's readers. The choices are
 * fixed from all answers (or options.choices) so every group is tested against the same set of arms.
 * Readers missing from the map are gathered under `ungroupedLabel`.
 */
export function summarizeByGroup(
  answers: readonly Answer[],
  groupOfReader: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  options: SummaryOptions & { ungroupedLabel?: string } = {},
): GroupSummary[] {
  const lookup = (readerId: string): string | undefined =>
    groupOfReader instanceof Map
      ? (groupOfReader as ReadonlyMap<string, string>).get(readerId)
      : Object.hasOwn(groupOfReader, readerId)
        ? (groupOfReader as Record<string, string>)[readerId]
        : undefined;
  const choices = resolveChoices(givenAnswers(answers), options.choices);
  const byGroup = new Map<string, Answer[]>();
  for (const a of answers) {
    const group = lookup(a.readerId) ?? options.ungroupedLabel ?? UNGROUPED_LABEL;
    let list = byGroup.get(group);
    if (!list) byGroup.set(group, (list = []));
    list.push(a);
  }
  return [...byGroup.keys()].sort(compareCodeUnits).map((group) => {
    const groupAnswers = byGroup.get(group)!;
    return {
      group,
      n_readers: distinctSorted(groupAnswers.map((a) => a.readerId)).length,
      summary: summarize(groupAnswers, { ...options, choices }),
    };
  });
}
