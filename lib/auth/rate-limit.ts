// Sign-in throttling kept in PostgreSQL, so it holds across restarts and across app instances.
//
// Each attempt is claimed before the password is checked, by one conditional upsert per key: the row's
// failure count goes up and its next allowed time moves on, or, while the key is still waiting, nothing
// changes and the attempt is refused unchecked. Concurrent attempts therefore cannot all pass (counting,
// checking and then recording let 24 simultaneous guesses through a limit of 8). A success clears its keys.
//
// The first FREE_FAILURES failures cost nothing; after that each one doubles the wait, up to a cap. There
// is no hard lock-out: the per-email key, which anyone can drive up for someone else's address, is capped
// at a minute, while the per-(email, client) key of the guessing client grows to 15 minutes.
import { db, Prisma } from "../db/client";

export interface ThrottlePolicy {
  /** Failures without any wait. */
  free: number;
  baseMs: number;
  capMs: number;
}

export const FREE_FAILURES = 5;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export const PER_EMAIL: ThrottlePolicy = { free: FREE_FAILURES, baseMs: 1000, capMs: 60 * 1000 };
export const PER_EMAIL_AND_CLIENT: ThrottlePolicy = { free: FREE_FAILURES, baseMs: 1000, capMs: 15 * 60 * 1000 };
// Invitation tokens carry 256 random bits, so guessing is hopeless; this only slows floods from one address.
export const PER_CLIENT: ThrottlePolicy = { free: 20, baseMs: 1000, capMs: 60 * 1000 };

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export const emailKey = (email: string): string => `email:${email}`;

/** The keys a staff sign-in for this email from this client is counted under. */
export function staffSignInKeys(email: string, clientKey: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: emailKey(email), policy: PER_EMAIL }];
  if (clientKey) keys.push({ key: `${emailKey(email)}|ip:${clientKey}`, policy: PER_EMAIL_AND_CLIENT });
  return keys;
}

export function clientKeys(clientKey: string | null): ThrottleKey[] {
  return clientKey ? [{ key: `ip:${clientKey}`, policy: PER_CLIENT }] : [];
}

/** The wait after the n-th failure in a row. */
export function delayAfter(failures: number, p: ThrottlePolicy): number {
  if (failures < p.free) return 0;
  return Math.min(p.capMs, p.baseMs * 2 ** Math.min(failures - p.free, 30));
}

export type Claim = { ok: true } | { ok: false; retryAfterMs: number };

/** Claims one attempt under every key; refused (and nothing checked) while any key is still waiting. */
export async function claimAttempt(keys: ThrottleKey[], now = new Date()): Promise<Claim> {
  for (const { key, policy } of keys) {
    const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
    // The row's failure count after this attempt, and the wait it earns (delayAfter, in SQL).
    const failures = Prisma.sql`(CASE WHEN t."lastAttemptAt" < ${forgetBefore} THEN 1 ELSE t."failures" + 1 END)`;
    const waitMs = Prisma.sql`(CASE WHEN ${failures} < ${policy.free} THEN 0 ELSE LEAST(${policy.capMs}::float8,
      ${policy.baseMs}::float8 * power(2::float8, LEAST(30, ${failures} - ${policy.free}))) END)`;
    // Refused without a change while the key waits; the WHERE is evaluated under the row's lock. An attempt that
    // earns no wait leaves "nextAllowedAt" in the past (the epoch, or where it was): setting it to this call's `now`
    // would refuse a concurrent free attempt whose `now` was taken a millisecond earlier.
    const firstWait = delayAfter(1, policy);
    const rows = await db().$queryRaw<{ failures: number }[]>`
      INSERT INTO "SignInThrottle" AS t ("key", "failures", "lastAttemptAt", "nextAllowedAt")
      VALUES (${key}, 1, ${now}, ${firstWait === 0 ? new Date(0) : new Date(now.getTime() + firstWait)})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = ${failures},
        "lastAttemptAt" = ${now},
        "nextAllowedAt" = CASE WHEN ${waitMs} = 0 THEN t."nextAllowedAt"
          ELSE ${now}::timestamp + make_interval(secs => ${waitMs} / 1000) END
      WHERE t."nextAllowedAt" <= ${now} OR t."lastAttemptAt" < ${forgetBefore}
      RETURNING "failures"`;
    if (rows.length === 0) {
      const row = await db().signInThrottle.findUnique({ where: { key } });
      return {
        ok: false,
        retryAfterMs: Math.max(1000, (row?.nextAllowedAt.getTime() ?? now.getTime()) - now.getTime()),
      };
    }
  }
  return { ok: true };
}

/** After a success: the keys start from zero again. Old rows of other keys are swept on the way. */
export async function clearAttempts(keys: ThrottleKey[], now = new Date()): Promise<void> {
  await db().signInThrottle.deleteMany({
    where: {
      OR: [
        { key: { in: keys.map((k) => k.key) } },
        { lastAttemptAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } },
      ],
    },
  });
}

/** Emails whose sign-in is waiting now, with the time it opens again (for the admin's user list). */
export async function delayedEmails(now = new Date()): Promise<Map<string, Date>> {
  const rows = await db().signInThrottle.findMany({
    where: { key: { startsWith: "email:" }, nextAllowedAt: { gt: now } },
  });
  const out = new Map<string, Date>();
  for (const r of rows) {
    const email = r.key.slice("email:".length).split("|ip:")[0];
    const prev = out.get(email);
    if (!prev || prev < r.nextAllowedAt) out.set(email, r.nextAllowedAt);
  }
  return out;
}
