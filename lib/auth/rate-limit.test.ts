import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import {
  FREE_FAILURES,
  PER_EMAIL,
  PER_EMAIL_AND_CLIENT,
  claimAttempt,
  clearAttempts,
  delayAfter,
  delayedEmails,
  staffSignInKeys,
} from "./rate-limit";

const email = () => `rl-${randomBytes(4).toString("hex")}@test.local`;
const at = (t0: number, ms: number) => new Date(t0 + ms);

test("the wait doubles after the free failures and stops at its cap", () => {
  const waits = Array.from({ length: 20 }, (_, i) => delayAfter(i + 1, PER_EMAIL_AND_CLIENT));
  assert.deepEqual(waits.slice(0, FREE_FAILURES - 1), Array(FREE_FAILURES - 1).fill(0));
  assert.deepEqual(waits.slice(FREE_FAILURES - 1, FREE_FAILURES + 3), [1000, 2000, 4000, 8000]);
  assert.equal(Math.max(...waits), PER_EMAIL_AND_CLIENT.capMs);
  assert.equal(delayAfter(1000, PER_EMAIL), PER_EMAIL.capMs);
  assert.ok(PER_EMAIL.capMs <= 60_000, "a stranger can hold a user's email back by a minute at most");
});

test("a key waiting refuses without counting; once the wait is over one more attempt is claimed", async () => {
  const keys = staffSignInKeys(email(), "198.51.100.9");
  const t0 = Date.now();
  for (let i = 0; i < FREE_FAILURES; i++) assert.deepEqual(await claimAttempt(keys, at(t0, 0)), { ok: true });
  const refused = await claimAttempt(keys, at(t0, 10));
  assert.ok(!refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 1000);
  const rows = await db().signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  assert.deepEqual(
    rows.map((r) => r.failures),
    [FREE_FAILURES, FREE_FAILURES],
  ); // the refusal counted nothing
  assert.deepEqual(await claimAttempt(keys, at(t0, 1000)), { ok: true });
  assert.equal((await claimAttempt(keys, at(t0, 2999))).ok, false); // now 2 s
  assert.deepEqual(await claimAttempt(keys, at(t0, 3000)), { ok: true });
});

test("a guessing client is slowed for 15 minutes, the account's owner elsewhere for a minute at most", async () => {
  const e = email();
  const attacker = staffSignInKeys(e, "203.0.113.66");
  let t = Date.now();
  // The attacker guesses as fast as the throttle lets it, for a long time.
  for (let i = 0; i < 40; i++) {
    const c = await claimAttempt(attacker, new Date(t));
    if (!c.ok) t += c.retryAfterMs;
  }
  const attackerWait = await claimAttempt(attacker, new Date(t));
  assert.ok(!attackerWait.ok && attackerWait.retryAfterMs > PER_EMAIL.capMs, JSON.stringify(attackerWait));
  const owner = staffSignInKeys(e, "192.0.2.10");
  const ownerAfterCap = await claimAttempt(owner, new Date(t + PER_EMAIL.capMs));
  assert.deepEqual(ownerAfterCap, { ok: true });
  assert.ok((await delayedEmails(new Date(t + PER_EMAIL.capMs))).has(e));
  // The owner's success clears the email's keys; the attacker's own key keeps waiting.
  await clearAttempts(owner, new Date(t + PER_EMAIL.capMs));
  assert.equal((await claimAttempt(attacker, new Date(t + PER_EMAIL.capMs + 1))).ok, false);
});

test("failures are forgotten after a day without attempts", async () => {
  const keys = staffSignInKeys(email(), null);
  const t0 = Date.now();
  for (let i = 0; i < FREE_FAILURES + 3; i++) await claimAttempt(keys, at(t0, i * 60_000));
  const dayLater = at(t0, 25 * 60 * 60 * 1000);
  assert.deepEqual(await claimAttempt(keys, dayLater), { ok: true });
  assert.equal((await db().signInThrottle.findUniqueOrThrow({ where: { key: keys[0].key } })).failures, 1);
});
