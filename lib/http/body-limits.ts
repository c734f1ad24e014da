// The largest request body each endpoint accepts, in bytes, in one table so the limits are reviewed
// together and the body-limit tests can walk them. A body is counted while it streams in: past its limit
// the reader stops and the request gets a 413, so no endpoint ever holds more than this in memory.
// Dataset zips are the exception: they stream to disk, bounded by FOCUS_MAX_UPLOAD_MB (lib/config/env.ts).
const KiB = 1024;

export const BODY_LIMITS = {
  /** next-auth's sign-in forms: CSRF token, email and password or an invitation token, callback URL. */
  auth: 8 * KiB,
  /** An admin creating a staff account. */
  adminUser: 8 * KiB,
  /** A reader's submitted answer (slot, rationale of at most a few thousand characters, confidence). */
  surveyAnswer: 16 * KiB,
  /** A reader's autosaved draft; the same fields as an answer. */
  surveyDraft: 16 * KiB,
} as const satisfies Record<string, number>;

export type BodyLimitName = keyof typeof BODY_LIMITS;
