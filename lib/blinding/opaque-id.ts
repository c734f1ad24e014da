/**
 * Opaque heat-map URLs for the reader's browser: /r/heatmap/<token>.
 *
 * A token must not let a reader learn which arm is behind a slot, nor link slots across readers or cases.
 * So a token is never derived from anything that names the arm (variant, run, job, heat-map id, storage
 * hash): it is either fresh randomness or a keyed PRF of (reader, case, slot) only. Without the key, an
 * HMAC-SHA256 output is indistinguishable from random, so it carries no information at all.
 *
 * Two ways for the server to resolve a token; RECOMMENDED: the stored random token.
 *   1. Stored (recommended): when a reader's assignment is created, insert one row per (reader, case, slot)
 *      with token = newOpaqueToken() (192 random bits), unique-indexed. The heat-map route looks up
 *      (token, readerId of the signed-in session) in one indexed query; a token copied to another reader
 *      simply finds no row. Nothing to recompute, tokens can be revoked or rotated per row, and a leaked
 *      server secret cannot be used to mint or link tokens.
 *   2. Recomputed: heatmapToken(secret, readerKey, studyCaseId, slot) needs no table; the route resolves
 *      with resolveHeatmapToken over the reader's (case, slot) pairs (n cases x k slots HMACs per request,
 *      fine for hundreds of cases). Use when adding a table is not possible. The secret is a server-only
 *      environment value; rotating it invalidates every outstanding URL.
 * Either way, the route must check that the token belongs to the signed-in reader before serving bytes.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 24 bytes = 192 bits, comfortably above the 128-bit floor for unguessable capability URLs. */
const RANDOM_TOKEN_BYTES = 24;
/** Full SHA-256 output: 256 bits, 43 base64url characters. */
const HMAC_TOKEN_DOMAIN = "focus/heatmap-token/v1";

/** Base64url alphabet only (no padding), and long enough to carry at least 128 bits. */
const WELL_FORMED_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/** A fresh random token for the stored-row design: URL-safe, 192 bits. */
export function newOpaqueToken(): string {
  return randomBytes(RANDOM_TOKEN_BYTES).toString("base64url");
}

/**
 * The deterministic, keyed token for (reader, case, slot). The fields are JSON-encoded as an array before
 * hashing so that ("ab", "c") and ("a", "bc") can never collide. The slot, not the arm, is hashed: the arm
 * behind the slot is resolved from the slot design on the server when the answer is stored.
 */
export function heatmapToken(secret: string, readerKey: string, studyCaseId: string, slot: number): string {
  if (secret.length < 16) throw new RangeError("token secret must be at least 16 characters");
  if (!readerKey || !studyCaseId) throw new TypeError("readerKey and studyCaseId must be non-empty");
  if (!Number.isInteger(slot) || slot < 0) throw new RangeError(`slot must be a non-negative integer, got ${slot}`);
  return createHmac("sha256", secret)
    .update(JSON.stringify([HMAC_TOKEN_DOMAIN, readerKey, studyCaseId, slot]))
    .digest("base64url");
}

/** Cheap shape check to reject junk before any database lookup or HMAC work. */
export function isWellFormedToken(token: string): boolean {
  return WELL_FORMED_TOKEN.test(token);
}

/**
 * Constant-time string comparison: a timing difference on the first mismatching byte would let an attacker
 * discover a valid token byte by byte. Lengths are public (all tokens have the same length), so an early
 * return on a length mismatch leaks nothing useful.
 */
export function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** True iff `token` is the keyed token of exactly this (reader, case, slot). */
export function verifyHeatmapToken(
  secret: string,
  readerKey: string,
  studyCaseId: string,
  slot: number,
  token: string,
): boolean {
  if (!isWellFormedToken(token)) return false;
  return tokensEqual(heatmapToken(secret, readerKey, studyCaseId, slot), token);
}

export type ReaderCase = { studyCaseId: string; slotCount: number };

/**
 * Recomputation design: find which of this reader's (case, slot) pairs a token belongs to. Returns null for
 * a token of another reader, of another study, or a forged one. Every candidate is compared (no early exit)
 * so the response time does not reveal where in the reader's case list a match was found.
 */
export function resolveHeatmapToken(
  secret: string,
  readerKey: string,
  token: string,
  readerCases: Iterable<ReaderCase>,
): { studyCaseId: string; slot: number } | null {
  if (!isWellFormedToken(token)) return null;
  let found: { studyCaseId: string; slot: number } | null = null;
  for (const { studyCaseId, slotCount } of readerCases) {
    for (let slot = 0; slot < slotCount; slot++) {
      if (tokensEqual(heatmapToken(secret, readerKey, studyCaseId, slot), token) && found === null) {
        found = { studyCaseId, slot };
      }
    }
  }
  return found;
}
