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
 *      t = c mod k). Each (reader block, case block) pair gets its own seeded k x k allocation square D: D[p][t]
 *      is the row of W that reader p gets on case t. D is a random Latin square (seeded backtracking), then its
 *      rows are permuted per reader, its columns per case and its symbols (which row of W), and the arms of W are
 *      relabelled (tau). The seed is HMAC-SHA256(studySeed, "v2|k|b|q|counter"): deterministic per study,
 *      unrelated between studies, unpredictable without the study seed.
 *   3. Reader r on case c gets row D[p][t] of W, relabelled by tau.
 *
 * Why D is not the cyclic square D[p][t] = p + t (the first version of this design): its rows are cyclic
 * shifts, so reader p+1 on case t-1 saw exactly reader p's order on case t, and a reader who recognised one
 * arm could follow the others across cases and readers. Permuting only the rows and columns of the cyclic
 * square would remove that coincidence but keep another: the step from case t to case t' (which power of the
 * arm cycle turns one order into the other) would be the same for every reader of the block. A random D with
 * permuted rows, columns and symbols makes both coincidences as rare as for two unrelated cells of the design;
 * slot-design.test.ts measures them against chance.
 *
 * Guarantees (proved by the structure, checked in slot-design.test.ts):
 *   - Every output is a permutation of 0..k-1 (a row of a Latin square).
 *   - Across readers, fixed case: a column of D holds each row of W once, so the k readers of a block see the
 *     k distinct rows: each arm is in each slot exactly once. A partial last block uses distinct rows, and a
 *     Latin square's column never repeats a symbol, so it adds 0 or 1 to each (arm, slot) count. Hence for any
 *     R readers 0..R-1 counts differ by at most one, and are all R/k when k divides R. Readers 0..k-1 get
 *     pairwise distinct orders for every case, and the neighbour balance of W holds per case.
 *   - Across cases, fixed reader: the same argument with a row of D. A reader's arms rotate through all
 *     slots: over any complete block of k cases each arm is in each slot exactly once, so over n cases the
 *     per-slot counts of each arm differ by at most one for that reader too.
 *   - Stable: a pure function of its inputs, so reloading a page never reshuffles a reader's grid. The order
 *     a reader is shown is also stored at first view (SlotOrder) and answers are resolved from that row, so
 *     a change of construction never re-attributes an answer; it only changes orders not yet shown.
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

  const random = seededIntegers(studySeed, `focus/slot-design/v2|${k}|${readerBlock}|${caseBlock}`);
  const square = randomLatinSquare(k, random);
  const readerPermutation = seededShuffle(range(k), random);
  const casePermutation = seededShuffle(range(k), random);
  const rowRelabel = seededShuffle(range(k), random);
  const armRelabel = seededShuffle(range(k), random);

  const row = rowRelabel[square[readerPermutation[readerIndex % k]][casePermutation[caseIndex % k]]];
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

/**
 * A Latin square filled row by row, each row a seeded random permutation that avoids the symbols already in
 * its columns (depth-first with shuffled candidates). A Latin rectangle always extends to a full square
 * (Hall's marriage theorem), so the search of one row never fails and earlier rows are never revisited.
 */
function randomLatinSquare(k: number, randomBelow: (n: number) => number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row = new Array<number>(k);
    const used = new Set<number>();
    const fill = (col: number): boolean => {
      if (col === k) return true;
      for (const symbol of seededShuffle(range(k), randomBelow)) {
        if (used.has(symbol) || rows.some((r) => r[col] === symbol)) continue;
        row[col] = symbol;
        used.add(symbol);
        if (fill(col + 1)) return true;
        used.delete(symbol);
      }
      return false;
    };
    if (!fill(0)) throw new Error("unreachable: a Latin rectangle always extends by one row");
    rows.push(row);
  }
  return rows;
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
