/**
 * Which arm (model variant) a reader sees in which grid slot ("Model A", "Model B", ...), per case.
 *
 * Why a design and not a plain shuffle: with an independent random shuffle per (reader, case), a study of,
 * say, 7 readers can easily put the baseline in slot A for 4 of them. Readers have a position bias (the
 * first / top-left map gets chosen more often), so an unbalanced allocation confounds "arm preferred" with
 * "slot preferred". A Latin-square design removes that confound exactly when the numbers allow it, and to
 * within one reader otherwise, while still being unpredictable to a reader.
 *
 * Construction (k = armCount, r = readerIndex, c = caseIndex):
 *   1. Base square W: the Williams (1949) design square, row i = (w_0 + i, ..., w_{k-1} + i) mod k with the
 *      sequence w = 0, 1, k-1, 2, k-2, 3, ... It is a Latin square: every symbol once in each row and column.
 *      E. J. Williams, "Experimental designs balanced for the estimation of residual effects of treatments",
 *      Australian Journal of Scientific Research A 2(3):149-168, 1949.
 *      For even k every ordered pair of arms is side by side (slot j, j+1) exactly once over the k rows; for
 *      odd k every unordered pair is side by side exactly twice. Readers scan the grid in reading order, so this
 *      also balances which arm is compared next to which, not only where each arm sits.
 *   2. Readers are cut into blocks of k (b = floor(r / k), p = r mod k) and cases likewise (q = floor(c / k),
 *      t = c mod k). Each (reader block, case block) pair gets its own randomised copy of W: a seeded
 *      permutation rho of its rows and a seeded relabelling tau of its symbols (both keep it a Latin square
 *      and keep the neighbour balance). The seed is HMAC-SHA256(studySeed, "k|b|q|counter"), so designs are
 *      deterministic per study, unrelated between studies, and unpredictable without the study seed.
 *   3. Reader r on case c gets row rho[(p + t) mod k] of that square, relabelled by tau.
 *
 * Guarantees (proved by the structure, checked in slot-design.test.ts):
 *   - Every output is a permutation of 0..k-1 (a row of a Latin square).
 *   - Across readers, fixed case: within a reader block, (p + t) mod k takes each value once as p runs over
 *     0..k-1, so the k readers see the k distinct rows: each arm is in each slot exactly once. A partial last
 *     block uses distinct rows, and a Latin square's column never repeats a symbol, so it adds 0 or 1 to each
 *     (arm, slot) count. Hence for any R readers 0..R-1 counts differ by at most one, and are all R/k when k
 *     divides R. Readers 0..k-1 get pairwise distinct orders for every case.
 *   - Across cases, fixed reader: the same argument with t in place of p. A reader's arms rotate through all
 *     slots: over any complete block of k cases each arm is in each slot exactly once, so over n cases the
 *     per-slot counts of each arm differ by at most one for that reader too.
 *   - Stable: a pure function of its inputs, so reloading a page never reshuffles a reader's grid.
 *
 * The guarantee is over contiguous reader indices 0..R-1: the caller must number a study's readers in
 * enrolment order (a per-study counter), not by hashing user ids, or the balance is lost.
 * The study seed is a server-side secret (e.g. crypto.randomBytes(32) per study): anyone holding it and the
 * arm numbering could recompute the unblinding, so it must never reach a reader's browser.
 */
import { createHmac } from "node:crypto";

export const MIN_ARMS = 2;
export const MAX_ARMS = 6;

export type SlotOrderInput = {
  studySeed: string;
  readerIndex: number;
  caseIndex: number;
  armCount: number;
};

/** Position = slot (0 = "A"), value = arm index. */
export function slotOrder({ studySeed, readerIndex, caseIndex, armCount }: SlotOrderInput): number[] {
  assertInputs(studySeed, readerIndex, caseIndex, armCount);
  const k = armCount;
  const readerBlock = Math.floor(readerIndex / k);
  const caseBlock = Math.floor(caseIndex / k);
  const rowInBlock = (readerIndex % k + caseIndex % k) % k;

  const random = seededIntegers(studySeed, `focus/slot-design/v1|${k}|${readerBlock}|${caseBlock}`);
  const rowPermutation = seededShuffle(range(k), random);
  const armRelabel = seededShuffle(range(k), random);

  const row = rowPermutation[rowInBlock];
  return williamsFirstRow(k).map((w) => armRelabel[(w + row) % k]);
}

/** The inverse view: the slot in which `arm` is shown, for a given order. */
export function slotOfArm(order: readonly number[], arm: number): number {
  const slot = order.indexOf(arm);
  if (slot < 0) throw new RangeError(`arm ${arm} is not in the order`);
  return slot;
}

const LETTERS = "ABCDEF";

/** Slot index -> the only label a reader ever sees ("Model A" ...). */
export function slotLetter(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_ARMS) {
    throw new RangeError(`slot must be an integer in 0..${MAX_ARMS - 1}, got ${slot}`);
  }
  return LETTERS[slot];
}

/** Parses a letter submitted by the browser back to a slot index; null for anything else. */
export function slotFromLetter(letter: string, armCount: number): number | null {
  if (letter.length !== 1) return null;
  const slot = LETTERS.indexOf(letter.toUpperCase());
  return slot >= 0 && slot < armCount ? slot : null;
}

/** w = 0, 1, k-1, 2, k-2, ...: consecutive differences +1, -2, +3, ... give the neighbour balance. */
export function williamsFirstRow(k: number): number[] {
  const row = [0];
  for (let j = 1; j < k; j++) {
    const step = Math.ceil(j / 2);
    row.push(j % 2 === 1 ? step : k - step);
  }
  return row;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Fisher-Yates with unbiased draws, so every row order / relabelling is equally likely. */
function seededShuffle<T>(items: T[], randomBelow: (n: number) => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A deterministic stream of uniform integers from HMAC-SHA256 in counter mode. Rejection sampling
 * (discarding bytes >= the largest multiple of n) avoids modulo bias; n <= 256 is all a 6-arm study needs.
 */
function seededIntegers(key: string, label: string): (n: number) => number {
  let counter = 0;
  let buffer = Buffer.alloc(0);
  let offset = 0;
  const nextByte = (): number => {
    if (offset >= buffer.length) {
      buffer = createHmac("sha256", key).update(`${label}|${counter++}`).digest();
      offset = 0;
    }
    return buffer[offset++];
  };
  return (n: number) => {
    if (n < 1 || n > 256) throw new RangeError(`cannot draw below ${n}`);
    const limit = 256 - (256 % n);
    for (;;) {
      const byte = nextByte();
      if (byte < limit) return byte % n;
    }
  };
}

function assertInputs(studySeed: string, readerIndex: number, caseIndex: number, armCount: number): void {
  if (typeof studySeed !== "string" || studySeed.length === 0) {
    throw new TypeError("studySeed must be a non-empty string");
  }
  if (!Number.isInteger(armCount) || armCount < MIN_ARMS || armCount > MAX_ARMS) {
    throw new RangeError(`armCount must be an integer in ${MIN_ARMS}..${MAX_ARMS}, got ${armCount}`);
  }
  if (!Number.isSafeInteger(readerIndex) || readerIndex < 0) {
    throw new RangeError(`readerIndex must be a non-negative integer, got ${readerIndex}`);
  }
  if (!Number.isSafeInteger(caseIndex) || caseIndex < 0) {
    throw new RangeError(`caseIndex must be a non-negative integer, got ${caseIndex}`);
  }
}
