// The order in which one reader sees a study's cases. "random" (the default) gives every reader their own
// order, seeded from the study's secret design seed and the reader's index, and stored on the invitation when it
// is issued; "fixed" shows every reader the study's order. Random orders spread fatigue and learning effects
// over the cases instead of loading them onto the last ones. The slot design (lib/blinding) stays keyed by the
// study's case index, so its balance across readers per case is untouched by the case order.
import { createHmac } from "node:crypto";
import { mulberry32, shuffled } from "../ml/data/seeded-random";
import type { StudySettings } from "./study-settings";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Position (0-based) -> caseIndex: a seeded permutation of 0..caseCount-1, the same for the same inputs. */
export function seededCaseOrder(designSeed: string, readerIndex: number, caseCount: number): number[] {
  const digest = createHmac("sha256", designSeed).update(`focus/case-order/v1|${readerIndex}`).digest();
  return shuffled(range(caseCount), mulberry32(digest.readUInt32BE(0)));
}

/**
 * The order a reader actually gets: the study's order when it is fixed, or when the stored order does not fit the
 * study (invitations from before per-reader orders store none); otherwise the stored one.
 */
export function effectiveCaseOrder(
  stored: readonly number[],
  caseCount: number,
  mode: StudySettings["caseOrder"],
): number[] {
  if (mode === "fixed" || !isPermutation(stored, caseCount)) return range(caseCount);
  return [...stored];
}

function isPermutation(order: readonly number[], n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Set(order);
  return seen.size === n && order.every((i) => Number.isInteger(i) && i >= 0 && i < n);
}
