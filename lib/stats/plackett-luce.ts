// Plackett–Luce worths of the arms from readers' rankings (Luce 1959; Plackett 1975), fitted by the MM algorithm
// of Hunter D.R. (2004) "MM algorithms for generalized Bradley–Terry models", Ann. Statist. 32:384-406, §3.
// A ranking of two arms is a paired comparison, so with only pairs the model is Bradley–Terry (1952).
//
// Ties. A ranking is read as successive choices: the best arm is chosen from all ranked arms, the next from the
// rest, and so on. Arms tied at a position are each treated as chosen from the set still unranked there,
// including one another: the term of a tie group G drawn from set S is Π_{i∈G} γ_i / (Σ_{j∈S} γ_j)^{|G|}.
// This is Breslow's (1974) approximation for tied event times in Cox's partial likelihood, which the
// Plackett–Luce likelihood mirrors; it keeps the log-likelihood concave and Hunter's MM update unchanged
// apart from the weight |G|. (Davidson–Luce tie parameters, as in the PlackettLuce R package, are not fitted.)
//
// Intervals. Worth is normalised to sum to 1 (the chance of being ranked first among all arms). Its 95 %
// interval is a Wald interval on the logit scale from the observed Fisher information of the log-worths
// (the Moore–Penrose inverse, i.e. the covariance under Σ log-worth = 0), by the delta method, so it stays in
// (0, 1). The maximum-likelihood worths exist only when every arm is sometimes ranked above and sometimes
// below the others in the sense of Hunter's Assumption 1 (the "beats" graph is strongly connected);
// otherwise the result is undefined and says which arms break it.
import { compareCodeUnits } from "./answers";
import { type Estimate, defined, undefinedBecause } from "./estimate";
import { type Ranking, validateRanking } from "./ranking";
import { Z_95 } from "./wilson";

export interface ArmWorth {
  arm: string;
  /** Worth normalised over all arms (sums to 1). */
  worth: number;
  ci_low: number;
  ci_high: number;
  /** Log-worth centred to mean 0 over the arms, and its standard error. */
  log_worth: number;
  se_log_worth: number;
}

export interface PlackettLuceResult {
  /** "bradley-terry" when every ranking compares exactly two arms. */
  model: "plackett-luce" | "bradley-terry";
  arms: ArmWorth[];
  /** Covariance of the centred log-worths (arms in `arms` order); singular, rows sum to 0. */
  covariance: number[][];
  log_likelihood: number;
  n_rankings: number;
  iterations: number;
  /** How ties are handled, for the methods text. */
  ties: "breslow";
}

export interface PlackettLuceOptions {
  /** Every arm of the study, in display order; default: the arms seen, sorted. */
  arms?: readonly string[];
  /** Interval level (default 0.95, z = 1.96). */
  z?: number;
  /** Stop when no log-worth changes by more than this between MM steps (default 1e-10). */
  tolerance?: number;
  maxIterations?: number;
}

/** One choice of a ranking: the tie group `chosen` taken from the still unranked `from` (arm indices). */
interface Choice {
  chosen: number[];
  from: number[];
}

function choicesOf(ranking: Ranking, index: ReadonlyMap<string, number>): Choice[] {
  const remaining = ranking.flat().map((a) => index.get(a)!);
  const choices: Choice[] = [];
  let start = 0;
  for (const group of ranking) {
    const from = remaining.slice(start);
    // A single arm left last is chosen with probability 1 and carries no information.
    if (from.length > 1) choices.push({ chosen: group.map((a) => index.get(a)!), from });
    start += group.length;
  }
  return choices;
}

function logLikelihood(choices: readonly Choice[], theta: readonly number[]): number {
  let ll = 0;
  for (const c of choices) {
    let sum = 0;
    for (const j of c.from) sum += Math.exp(theta[j]);
    for (const i of c.chosen) ll += theta[i];
    ll -= c.chosen.length * Math.log(sum);
  }
  return ll;
}

/**
 * Null when the "i is chosen while j is still available" graph is strongly connected (Hunter's Assumption 1);
 * otherwise which arms break it, naming the smaller of a top or a bottom group.
 */
function disconnection(choices: readonly Choice[], arms: readonly string[]): string | null {
  const k = arms.length;
  const reach = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => i === j));
  for (const c of choices) for (const i of c.chosen) for (const j of c.from) if (i !== j) reach[i][j] = true;
  for (let m = 0; m < k; m++) {
    for (let i = 0; i < k; i++) if (reach[i][m]) for (let j = 0; j < k; j++) if (reach[m][j]) reach[i][j] = true;
  }
  if (reach.every((row) => row.every(Boolean))) return null;
  const componentOf = (i: number) => arms.map((_, j) => j).filter((j) => reach[i][j] && reach[j][i]);
  let best: string | null = null;
  let bestSize = Infinity;
  for (let i = 0; i < k; i++) {
    const inside = new Set(componentOf(i));
    const outside = arms.map((_, j) => j).filter((j) => !inside.has(j));
    const names = (set: Iterable<number>) => [...set].map((j) => arms[j]).join(", ");
    // Top group: nobody outside beats anyone inside; bottom group: nobody inside beats anyone outside.
    if (inside.size < bestSize && !outside.some((j) => [...inside].some((m) => reach[j][m]))) {
      best = `${names(inside)} never ranked below ${names(outside)}`;
      bestSize = inside.size;
    }
    if (inside.size < bestSize && ![...inside].some((m) => outside.some((j) => reach[m][j]))) {
      best = `${names(inside)} never ranked above ${names(outside)}`;
      bestSize = inside.size;
    }
  }
  return best;
}

function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    for (let j = 0; j < 2 * n; j++) a[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/** Observed information of θ = log γ: Σ_choices |G| (diag(p) − p pᵀ) over the choice set. */
function information(choices: readonly Choice[], theta: readonly number[], k: number): number[][] {
  const info = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const c of choices) {
    let sum = 0;
    for (const j of c.from) sum += Math.exp(theta[j]);
    const w = c.chosen.length;
    for (const i of c.from) {
      const pi = Math.exp(theta[i]) / sum;
      info[i][i] += w * pi;
      for (const j of c.from) info[i][j] -= w * pi * (Math.exp(theta[j]) / sum);
    }
  }
  return info;
}

const expit = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Plackett–Luce worths from rankings (best first, tie groups allowed). Rankings may cover only some arms
 * (partial rankings); pairs give Bradley–Terry. Undefined with fewer than two arms, an arm never ranked, or data
 * under which the maximum-likelihood worths do not exist.
 */
export function plackettLuce(
  rankings: readonly Ranking[],
  options: PlackettLuceOptions = {},
): Estimate<PlackettLuceResult> {
  const declared = options.arms ? new Set(options.arms) : undefined;
  rankings.forEach((r, i) => validateRanking(r, declared, `ranking ${i + 1}`));
  const arms = options.arms
    ? [...options.arms]
    : [...new Set(rankings.flatMap((r) => r.flat()))].sort(compareCodeUnits);
  const k = arms.length;
  if (k < 2) return undefinedBecause("needs ≥ 2 ranked arms");
  const index = new Map(arms.map((a, i) => [a, i]));
  const used = rankings.filter((r) => r.flat().length >= 2);
  const choices = used.flatMap((r) => choicesOf(r, index));
  const unranked = arms.filter((_, i) => !choices.some((c) => c.from.includes(i)));
  if (unranked.length > 0) return undefinedBecause(`${unranked.join(", ")} never ranked against another arm`);
  const broken = disconnection(choices, arms);
  if (broken !== null) return undefinedBecause(`worths do not exist: ${broken}`);

  // Hunter's MM: γ_i ← W_i / Σ_{choices with i available} |G| / Σ_{j available} γ_j, with W_i the times i is chosen.
  const wins = new Array<number>(k).fill(0);
  for (const c of choices) for (const i of c.chosen) wins[i] += 1;
  let gamma = new Array<number>(k).fill(1 / k);
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100_000;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const denominator = new Array<number>(k).fill(0);
    for (const c of choices) {
      let sum = 0;
      for (const j of c.from) sum += gamma[j];
      const w = c.chosen.length / sum;
      for (const j of c.from) denominator[j] += w;
    }
    const next = gamma.map((_, i) => wins[i] / denominator[i]);
    const total = next.reduce((s, g) => s + g, 0);
    for (let i = 0; i < k; i++) next[i] /= total;
    converged = next.every((g, i) => Math.abs(Math.log(g) - Math.log(gamma[i])) < tolerance);
    gamma = next;
  }
  if (!converged) return undefinedBecause(`the MM algorithm did not converge in ${maxIterations} iterations`);

  const logGamma = gamma.map((g) => Math.log(g));
  const centre = logGamma.reduce((s, t) => s + t, 0) / k;
  const theta = logGamma.map((t) => t - centre);
  const info = information(choices, theta, k);
  // Moore–Penrose inverse of an information matrix whose null space is the constant vector.
  const shifted = invert(info.map((row) => row.map((v) => v + 1 / k)));
  const covariance = shifted.map((row) => row.map((v) => v - 1 / k));
  const z = options.z ?? Z_95;
  const armWorths: ArmWorth[] = arms.map((arm, i) => {
    const worth = gamma[i];
    // Gradient of logit(worth_i) = θ_i − log Σ_{j≠i} e^{θ_j}; it sums to 0, so any generalised inverse gives the same variance.
    const gradient = gamma.map((g, j) => (j === i ? 1 : -g / (1 - worth)));
    let variance = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) variance += gradient[a] * covariance[a][b] * gradient[b];
    const logit = Math.log(worth / (1 - worth));
    const half = z * Math.sqrt(Math.max(0, variance));
    return {
      arm,
      worth,
      ci_low: expit(logit - half),
      ci_high: expit(logit + half),
      log_worth: theta[i],
      se_log_worth: Math.sqrt(Math.max(0, covariance[i][i])),
    };
  });
  return defined({
    model: used.every((r) => r.flat().length === 2) ? ("bradley-terry" as const) : ("plackett-luce" as const),
    arms: armWorths,
    covariance,
    log_likelihood: logLikelihood(choices, theta),
    n_rankings: used.length,
    iterations,
    ties: "breslow" as const,
  });
}

/** One paired comparison; `tie` puts both arms in one tie group. */
export interface PairedComparison {
  winner: string;
  loser: string;
  tie?: boolean;
}

/** Bradley–Terry worths from paired comparisons: Plackett–Luce on rankings of two. */
export function bradleyTerry(
  comparisons: readonly PairedComparison[],
  options: PlackettLuceOptions = {},
): Estimate<PlackettLuceResult> {
  return plackettLuce(
    comparisons.map((c) => (c.tie ? [[c.winner, c.loser]] : [[c.winner], [c.loser]])),
    options,
  );
}
