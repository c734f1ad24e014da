// Choosing a study's cases: a seeded random sample stratified by ground-truth class and by whether the
// majority of the study's arms classified the image correctly. Stratifying on correctness matters because
// readers judge heat-maps differently when the models got the case right or wrong; a plain random sample of
// a well-trained set would contain almost only "all correct" cases.
import { mulberry32, shuffled, hashString32 } from "../ml/data/seeded-random";
import { DomainError } from "../errors/domain-error";

export interface CandidateCase {
  imageId: string;
  label: number;
  /** Arms whose heat-map's predicted class equals the label. */
  armsCorrect: number;
  armCount: number;
}

export interface StratumAllocation {
  key: string;
  label: number;
  majorityCorrect: boolean;
  available: number;
  chosen: number;
}

export interface CaseSample {
  /** Chosen image ids, in a seeded random order (that order becomes the case order). */
  imageIds: string[];
  strata: StratumAllocation[];
}

/** A strict majority: with an even number of arms a tie counts as "not majority correct". */
export function majorityCorrect(c: Pick<CandidateCase, "armsCorrect" | "armCount">): boolean {
  return c.armsCorrect * 2 > c.armCount;
}

export function stratumKey(label: number, correct: boolean): string {
  return `${label}|${correct ? "correct" : "wrong"}`;
}

/**
 * Proportional allocation of `size` over strata by the largest-remainder (Hamilton) method, never more than
 * a stratum holds. Then every non-empty stratum gets at least one case when size allows (taken from the most
 * generously served stratum), so rare strata such as "most models wrong" appear even in small studies. Ties
 * go to the larger stratum, then to the key, so the allocation is a pure function of the counts.
 */
export function allocate(available: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const keys = [...available.keys()].filter((k) => available.get(k)! > 0).sort();
  const cap = (k: string) => available.get(k)!;
  const total = keys.reduce((s, k) => s + cap(k), 0);
  if (size > total) throw DomainError.invalid(`Asked for ${size} cases but only ${total} are eligible.`);
  const out = new Map<string, number>(keys.map((k) => [k, 0]));
  let left = size;
  // Proportional to the remaining room; repeated only when a stratum fills up before its share.
  while (left > 0) {
    const open = keys.filter((k) => out.get(k)! < cap(k));
    const room = open.reduce((s, k) => s + cap(k) - out.get(k)!, 0);
    const quotas = open.map((k) => {
      const exact = (left * (cap(k) - out.get(k)!)) / room;
      return { k, whole: Math.floor(exact), rest: exact - Math.floor(exact) };
    });
    let given = 0;
    for (const q of quotas) {
      out.set(q.k, out.get(q.k)! + q.whole);
      given += q.whole;
    }
    quotas.sort((a, b) => b.rest - a.rest || cap(b.k) - cap(a.k) || (a.k < b.k ? -1 : 1));
    for (const q of quotas) {
      if (given >= left) break;
      if (out.get(q.k)! >= cap(q.k)) continue;
      out.set(q.k, out.get(q.k)! + 1);
      given++;
    }
    left -= given;
  }
  if (size >= keys.length) {
    for (const k of keys) {
      if (out.get(k)! > 0) continue;
      const donor = keys
        .filter((d) => out.get(d)! > 1)
        .sort((a, b) => out.get(b)! / cap(b) - out.get(a)! / cap(a) || cap(b) - cap(a) || (a < b ? -1 : 1))[0];
      out.set(donor, out.get(donor)! - 1);
      out.set(k, 1);
    }
  }
  return out;
}

/**
 * A stratified random sample of `size` cases. The result depends only on the candidate set (not its order)
 * and the seed: candidates are put in a canonical order first.
 */
export function sampleCases(candidates: readonly CandidateCase[], opts: { size: number; seed: number }): CaseSample {
  const { size, seed } = opts;
  if (!Number.isInteger(size) || size < 1)
    throw DomainError.invalid("Sample size must be a whole number of at least 1.");
  if (!Number.isInteger(seed) || seed < 0) throw DomainError.invalid("Seed must be a whole number of at least 0.");
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.imageId)) throw DomainError.invalid(`Image ${c.imageId} is listed twice.`);
    ids.add(c.imageId);
  }
  const groups = new Map<string, CandidateCase[]>();
  for (const c of [...candidates].sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0))) {
    const key = stratumKey(c.label, majorityCorrect(c));
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(c);
  }
  const quota = allocate(new Map([...groups].map(([k, v]) => [k, v.length])), size);
  const chosen: string[] = [];
  const strata: StratumAllocation[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    // Each stratum gets its own stream so adding a candidate to one stratum does not reshuffle the others.
    const pick = shuffled(members, mulberry32(hashString32(key, seed))).slice(0, quota.get(key) ?? 0);
    chosen.push(...pick.map((c) => c.imageId));
    strata.push({
      key,
      label: members[0].label,
      majorityCorrect: majorityCorrect(members[0]),
      available: members.length,
      chosen: pick.length,
    });
  }
  // Mix the strata so case order carries no hint of class or model correctness.
  return { imageIds: shuffled(chosen, mulberry32(hashString32("order", seed))), strata };
}
