// Cohen's kappa for two raters: Cohen J. (1960) "A coefficient of agreement for nominal scales",
// Educational and Psychological Measurement 20(1):37-46. For more readers Focus reports the mean over reader
// pairs (Light 1971's approach to multi-rater agreement via averaged pairwise kappas).
import { type Answer, distinctSorted, givenAnswers } from "./answers";

/**
 * κ = (p_o - p_e) / (1 - p_e) from a square contingency table (rows: rater A's category, columns: rater B's).
 * Null when there are no items or when p_e = 1: both raters put every item in the same single category, so
 * agreement is total but entirely expected by chance and the ratio is 0/0.
 */
export function cohenKappaFromContingency(table: readonly (readonly number[])[]): number | null {
  const q = table.length;
  if (table.some((row) => row.length !== q)) throw new RangeError("a contingency table must be square");
  let total = 0;
  let diagonal = 0;
  const rowSums = new Array<number>(q).fill(0);
  const columnSums = new Array<number>(q).fill(0);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const v = table[i][j];
      total += v;
      rowSums[i] += v;
      columnSums[j] += v;
      if (i === j) diagonal += v;
    }
  }
  if (total === 0) return null;
  const observed = diagonal / total;
  let expected = 0;
  for (let k = 0; k < q; k++) expected += (rowSums[k] / total) * (columnSums[k] / total);
  if (expected >= 1 - 1e-12) return null;
  return (observed - expected) / (1 - expected);
}

/** Cohen's kappa from paired labels [rater A's choice, rater B's choice], one pair per item. */
export function cohenKappaFromPairs(pairs: readonly (readonly [string, string])[]): number | null {
  const categories = distinctSorted(pairs.flatMap(([a, b]) => [a, b]));
  const index = new Map(categories.map((c, i) => [c, i]));
  const table = categories.map(() => new Array<number>(categories.length).fill(0));
  for (const [a, b] of pairs) table[index.get(a)!][index.get(b)!] += 1;
  return cohenKappaFromContingency(table);
}

function choicesByReader(answers: readonly Answer[]): Map<string, Map<string, string>> {
  const byReader = new Map<string, Map<string, string>>();
  for (const a of givenAnswers(answers)) {
    let cases = byReader.get(a.readerId);
    if (!cases) byReader.set(a.readerId, (cases = new Map<string, string>()));
    cases.set(a.caseId, a.choice);
  }
  return byReader;
}

function sharedPairs(a: Map<string, string>, b: Map<string, string>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [caseId, choice] of a) {
    const other = b.get(caseId);
    if (other !== undefined) pairs.push([choice, other]);
  }
  return pairs;
}

/** Cohen's kappa of two readers on the cases both of them answered. */
export function cohenKappa(answers: readonly Answer[], readerA: string, readerB: string): number | null {
  const byReader = choicesByReader(answers);
  return cohenKappaFromPairs(
    sharedPairs(byReader.get(readerA) ?? new Map<string, string>(), byReader.get(readerB) ?? new Map<string, string>()),
  );
}

export interface ReaderPairKappa {
  reader_a: string;
  reader_b: string;
  n_shared: number;
  kappa: number | null;
}

export interface PairwiseCohenResult {
  /** Mean of the defined pairwise kappas; null when no pair has a defined kappa. */
  mean: number | null;
  /** Reader pairs that share at least `minShared` answered cases. */
  n_pairs: number;
  n_pairs_defined: number;
  /** Pairs left out of the mean because kappa is undefined (p_e = 1: both used one and the same choice throughout). */
  n_pairs_undefined: number;
  pairs: ReaderPairKappa[];
}

/**
 * Cohen's kappa for every pair of readers sharing at least `minShared` answered cases, on those shared cases,
 * and their unweighted mean. Pairs whose kappa is undefined are reported and excluded from the mean rather than
 * counted as 1 or 0: either choice would invent a value the data do not support.
 */
export function pairwiseCohenKappa(answers: readonly Answer[], minShared = 2): PairwiseCohenResult {
  const given = givenAnswers(answers);
  const readers = distinctSorted(given.map((a) => a.readerId));
  const caseIds = distinctSorted(given.map((a) => a.caseId));
  const choices = distinctSorted(given.map((a) => a.choice));
  const readerIndex = new Map(readers.map((r, i) => [r, i]));
  const caseIndex = new Map(caseIds.map((c, i) => [c, i]));
  const choiceIndex = new Map(choices.map((c, i) => [c, i]));
  // Choices coded as integers in a reader × case grid (-1 = not answered): pairs are then compared with plain
  // array scans, which keeps all R(R-1)/2 pairs fast for studies with dozens of readers.
  const grid = readers.map(() => new Int32Array(caseIds.length).fill(-1));
  for (const a of given) grid[readerIndex.get(a.readerId)!][caseIndex.get(a.caseId)!] = choiceIndex.get(a.choice)!;

  const q = choices.length;
  const table = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const pairs: ReaderPairKappa[] = [];
  for (let i = 0; i < readers.length; i++) {
    for (let j = i + 1; j < readers.length; j++) {
      for (const row of table) row.fill(0);
      const a = grid[i];
      const b = grid[j];
      let shared = 0;
      for (let c = 0; c < caseIds.length; c++) {
        if (a[c] >= 0 && b[c] >= 0) {
          table[a[c]][b[c]] += 1;
          shared++;
        }
      }
      if (shared < minShared) continue;
      pairs.push({
        reader_a: readers[i],
        reader_b: readers[j],
        n_shared: shared,
        kappa: cohenKappaFromContingency(table),
      });
    }
  }
  const defined = pairs.map((p) => p.kappa).filter((k): k is number => k !== null);
  return {
    mean: defined.length === 0 ? null : defined.reduce((s, k) => s + k, 0) / defined.length,
    n_pairs: pairs.length,
    n_pairs_defined: defined.length,
    n_pairs_undefined: pairs.length - defined.length,
    pairs,
  };
}

/** Mean pairwise Cohen's kappa (see pairwiseCohenKappa for which pairs count). */
export function meanPairwiseCohenKappa(answers: readonly Answer[], minShared = 2): number | null {
  return pairwiseCohenKappa(answers, minShared).mean;
}
