// The order in which one reader sees a study's cases. "random" (the default) gives every reader their own
// order, seeded from the study's secret design seed and the reader's index, and stored on the invitation when it
// is issued; "fixed" shows every reader the study's order. Random orders spread fatigue and learning effects
// over the cases instead of loading them onto the last ones. The slot design (lib/blinding) stays keyed by the
// study's case index, so its balance across readers per case is untouched by the case order.
//
// Repeated cases (setting `repeatedCases` = k): after the last case, the reader reads k of the cases again, each as
// a "reading" with repeat = 1 and its own slot order from a second, independently seeded balanced design
// (repeatSlotSeed), so a reader who remembers a slot letter learns nothing about the arm behind it now. Which cases:
// the first k of a seeded permutation (repeatOrder) stored on the invitation. Position n + j ("Case n + j of n + k")
// is the j-th repeat; nothing on the page tells a repeat from a first reading, as is usual in reader studies.
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

/** A reading of a case: the first (repeat 0) or, for a repeated case, the second (repeat 1). */
export interface Reading {
  caseIndex: number;
  repeat: number;
}

/** The permutation whose first k entries are the reader's repeated cases; seeded apart from the case order. */
export function seededRepeatOrder(designSeed: string, readerIndex: number, caseCount: number): number[] {
  const digest = createHmac("sha256", designSeed).update(`focus/repeat-order/v1|${readerIndex}`).digest();
  return shuffled(range(caseCount), mulberry32(digest.readUInt32BE(0)));
}

/** The reader's repeated cases (caseIndex values, in the order they are read): the stored order's first k. */
export function effectiveRepeatCases(
  stored: readonly number[],
  caseCount: number,
  repeatedCases: number,
  seed: { designSeed: string; readerIndex: number },
): number[] {
  const order = isPermutation(stored, caseCount)
    ? stored
    : seededRepeatOrder(seed.designSeed, seed.readerIndex, caseCount);
  return order.slice(0, Math.max(0, Math.min(repeatedCases, caseCount)));
}

/** How many readings a reader makes: every case, and the repeated ones. */
export function readingCount(caseCount: number, settings: Pick<StudySettings, "repeatedCases">): number {
  return caseCount + Math.max(0, Math.min(settings.repeatedCases, caseCount));
}

/** Position (0-based) -> reading: every case once in the reader's order, then the repeated cases. */
export function readingOrder(caseOrder: readonly number[], repeatCases: readonly number[]): Reading[] {
  return [
    ...caseOrder.map((caseIndex) => ({ caseIndex, repeat: 0 })),
    ...repeatCases.map((caseIndex) => ({ caseIndex, repeat: 1 })),
  ];
}

/**
 * The seed of the repeated readings' slot design: derived from the study's secret seed, so it is as secret, and
 * unrelated to the first design (HMAC with a distinct label), so a repeat's order is independent of the first one.
 */
export function repeatSlotSeed(designSeed: string): string {
  return createHmac("sha256", designSeed).update("focus/repeat-slots/v1").digest("hex");
}

/** The slot design's seed for a reading. */
export function slotSeedOf(designSeed: string, repeat: number): string {
  return repeat === 0 ? designSeed : repeatSlotSeed(designSeed);
}

function isPermutation(order: readonly number[], n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Set(order);
  return seen.size === n && order.every((i) => Number.isInteger(i) && i >= 0 && i < n);
}
