// Intra-reader agreement on repeated cases: a study may show k cases again at the end (fresh slot order); each
// reader's first and repeated answers are compared with Cohen's kappa (Cohen 1960), per reader with its SE and
// interval (cohen-kappa-interval.ts), and the mean over readers whose kappa is defined.
import { type Answer, AnswerDataError, compareCodeUnits, isMissingChoice } from "./answers";
import { type KappaWithInterval, cohenKappaWithInterval } from "./cohen-kappa-interval";
import { type Estimate, defined, undefinedBecause } from "./estimate";
import { UNGROUPED_LABEL } from "./summary";

/** A reader's first answer and repeated answer on one case (null or blank = not answered). */
export interface RepeatedReading {
  readerId: string;
  caseId: string;
  first: string | null;
  repeat: string | null;
}

export interface ReaderSelfAgreement {
  readerId: string;
  /** Repeated cases with both answers given. */
  n_pairs: number;
  kappa: Estimate<KappaWithInterval>;
}

export interface IntraReaderAgreement {
  readers: ReaderSelfAgreement[];
  /** Unweighted mean of the defined per-reader kappas. */
  mean_kappa: Estimate<{ kappa: number; n_readers: number }>;
}

/**
 * Cohen's kappa of each reader with themself. The categories are the choices seen across all readers (so every
 * reader's table has the same rows); `choices` fixes them, e.g. to every arm.
 */
export function intraReaderAgreement(
  readings: readonly RepeatedReading[],
  choices?: readonly string[],
): IntraReaderAgreement {
  const seen = new Set<string>();
  const given: { readerId: string; first: string; repeat: string }[] = [];
  readings.forEach((r, i) => {
    if (typeof r.readerId !== "string" || r.readerId.trim() === "") {
      throw new AnswerDataError(`repeated reading ${i + 1}: reader id is empty`);
    }
    if (typeof r.caseId !== "string" || r.caseId.trim() === "") {
      throw new AnswerDataError(`repeated reading ${i + 1}: case id is empty`);
    }
    const key = JSON.stringify([r.readerId, r.caseId]);
    if (seen.has(key)) throw new AnswerDataError(`reader "${r.readerId}" has case "${r.caseId}" repeated twice`);
    seen.add(key);
    if (!isMissingChoice(r.first) && !isMissingChoice(r.repeat)) {
      given.push({ readerId: r.readerId, first: r.first!, repeat: r.repeat! });
    }
  });
  const categories = choices
    ? [...choices]
    : [...new Set(given.flatMap((g) => [g.first, g.repeat]))].sort(compareCodeUnits);
  const index = new Map(categories.map((c, i) => [c, i]));
  for (const g of given) {
    for (const c of [g.first, g.repeat]) {
      if (!index.has(c)) throw new AnswerDataError(`choice "${c}" is not among the declared choices`);
    }
  }
  const readerIds = [...new Set(readings.map((r) => r.readerId))].sort(compareCodeUnits);
  const readers = readerIds.map((readerId) => {
    const mine = given.filter((g) => g.readerId === readerId);
    const table = categories.map(() => new Array<number>(categories.length).fill(0));
    for (const g of mine) table[index.get(g.first)!][index.get(g.repeat)!] += 1;
    return {
      readerId,
      n_pairs: mine.length,
      kappa:
        mine.length < 2 ? undefinedBecause("needs ≥ 2 repeated cases answered twice") : cohenKappaWithInterval(table),
    };
  });
  return { readers, mean_kappa: meanKappa(readers) };
}

function meanKappa(readers: readonly ReaderSelfAgreement[]): IntraReaderAgreement["mean_kappa"] {
  const kappas = readers.flatMap((r) => (r.kappa.defined ? [r.kappa.kappa] : []));
  return kappas.length === 0
    ? undefinedBecause("no reader has a defined kappa on repeated cases")
    : defined({ kappa: kappas.reduce((s, k) => s + k, 0) / kappas.length, n_readers: kappas.length });
}

export interface GroupSelfAgreement {
  group: string;
  /** Readers of the group with repeated readings (defined kappa or not). */
  n_readers: number;
  mean_kappa: IntraReaderAgreement["mean_kappa"];
}

/**
 * The mean per-reader kappa within each reader group (a specialty), in group order; a reader without a group
 * counts under `ungroupedLabel`, as in `summarizeByGroup`.
 */
export function intraReaderByGroup(
  agreement: IntraReaderAgreement,
  groupOf: ReadonlyMap<string, string>,
  ungroupedLabel = UNGROUPED_LABEL,
): GroupSelfAgreement[] {
  const byGroup = new Map<string, ReaderSelfAgreement[]>();
  for (const r of agreement.readers) {
    const group = groupOf.get(r.readerId) ?? ungroupedLabel;
    byGroup.set(group, [...(byGroup.get(group) ?? []), r]);
  }
  return [...byGroup.keys()]
    .sort(compareCodeUnits)
    .map((group) => ({ group, n_readers: byGroup.get(group)!.length, mean_kappa: meanKappa(byGroup.get(group)!) }));
}

/** Why intra-reader agreement has no value when the study repeats no case (the results page and the CLI say it). */
export const NEEDS_REPEATED_CASES = "needs repeated cases";

/**
 * Pairs each repeated answer with the same reader's first answer on that case (null when the first was not given),
 * then `intraReaderAgreement`. `first` and `repeated` are the answer rows of the first and the repeated readings, as
 * the results page and `focus stats` read them from the export (choice = arm, blank = missing).
 */
export function intraReaderAgreementOfAnswers(
  first: readonly Answer[],
  repeated: readonly Answer[],
  choices?: readonly string[],
): IntraReaderAgreement {
  const firstOf = new Map(first.map((a) => [JSON.stringify([a.readerId, a.caseId]), a.choice]));
  return intraReaderAgreement(
    repeated.map((r) => ({
      readerId: r.readerId,
      caseId: r.caseId,
      first: firstOf.get(JSON.stringify([r.readerId, r.caseId])) ?? null,
      repeat: r.choice,
    })),
    choices,
  );
}
