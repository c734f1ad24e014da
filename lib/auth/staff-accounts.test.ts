import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { createStaffUser } from "../users/users";
import { isDomainError } from "../errors/domain-error";
import { signInStaff } from "./credentials";
import { FREE_FAILURES } from "./rate-limit";
import { passwordProblem } from "./password-policy";
import { hashInvitationToken } from "./invitation-token";
import {
  changeOwnPassword,
  issuePasswordReset,
  passwordResetFor,
  resetPassword,
  unlockSignIn,
  RESET_LINK_TTL_MS,
} from "./staff-accounts";

const OLD = "the first staff password";
const NEW = "a second, different passphrase";
async function staff(role: "ADMIN" | "COORDINATOR" = "COORDINATOR") {
  const email = `sa-${randomBytes(4).toString("hex")}@test.local`;
  const u = await createStaffUser({ email, name: "Staff Member", role, password: OLD }, null);
  return { ...u, email };
}
const versionOf = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).sessionVersion;
const rejects = (kind: Parameters<typeof isDomainError>[1]) => (e: unknown) => isDomainError(e, kind);

test("passwords: at least 12 characters, common ones and the account's own name refused", async () => {
  assert.match(passwordProblem("eleven char")!, /at least 12 characters/);
  for (const common of ["password1234", "qwertyuiop123", "iloveyou12345", "aaaaaaaaaaaaaaaa"]) {
    assert.match(passwordProblem(common)!, /too easy to guess/, common);
  }
  assert.match(passwordProblem("jane.doe-2026", ["jane.doe@hospital.example", "Jane Doe"])!, /too easy to guess/);
  assert.equal(passwordProblem("correct horse battery"), null);
  await assert.rejects(
    createStaffUser({ email: "weak@test.local", name: "W", role: "ADMIN", password: "password1234" }, null),
  );
  await assert.rejects(
    createStaffUser({ email: "short@test.local", name: "S", role: "ADMIN", password: "ten chars!" }, null),
  );
});

test("changing one's password needs the current one, ends every session and is audited", async () => {
  const u = await staff();
  const before = await versionOf(u.id);
  const input = (current: string, password: string, confirm = password) => ({ current, password, confirm });
  await assert.rejects(changeOwnPassword(u.id, input("not my password", NEW), null), rejects("invalid"));
  await assert.rejects(changeOwnPassword(u.id, input(OLD, "password1234"), null), rejects("invalid"));
  await changeOwnPassword(u.id, input(OLD, NEW), null);
  assert.equal((await signInStaff({ email: u.email, password: OLD }, null)).ok, false);
  assert.equal((await signInStaff({ email: u.email, password: NEW }, null)).ok, true);
  assert.equal(await versionOf(u.id), before + 1);
  assert.equal(await db().auditEvent.count({ where: { subject: u.id, action: "user.password-changed" } }), 1);
});

test("a reset link works once, is stored only as a hash, expires, and a new one replaces the old", async () => {
  const admin = await staff("ADMIN");
  const u = await staff();
  const first = await issuePasswordReset(u.id, admin.id);
  const second = await issuePasswordReset(u.id, admin.id);
  assert.equal(await passwordResetFor(first.token), null); // replaced
  assert.deepEqual(await passwordResetFor(second.token), { email: u.email });
  const row = await db().passwordReset.findUniqueOrThrow({ where: { tokenHash: hashInvitationToken(second.token) } });
  assert.notEqual(row.tokenHash, second.token);
  const before = await versionOf(u.id);
  const input = { password: NEW, confirm: NEW };
  const both = await Promise.allSettled([resetPassword(second.token, input), resetPassword(second.token, input)]);
  assert.equal(both.filter((r) => r.status === "fulfilled").length, 1);
  assert.ok(both.some((r) => r.status === "rejected" && isDomainError(r.reason, "gone")));
  assert.equal((await signInStaff({ email: u.email, password: NEW }, null)).ok, true);
  assert.equal(await versionOf(u.id), before + 1);
  assert.equal(
    await db().auditEvent.count({ where: { subject: u.id, action: "user.password-reset-issued", actorId: admin.id } }),
    2,
  );
  assert.equal(await db().auditEvent.count({ where: { subject: u.id, action: "user.password-reset" } }), 1);

  const late = await issuePasswordReset(u.id, admin.id);
  const afterExpiry = new Date(Date.now() + RESET_LINK_TTL_MS + 1000);
  await assert.rejects(resetPassword(late.token, input, afterExpiry), rejects("gone"));
  await assert.rejects(resetPassword("not-a-token", input), rejects("gone"));
});

test("an admin unlocks a throttled account at once, audited", async () => {
  const admin = await staff("ADMIN");
  const u = await staff();
  for (let i = 0; i < FREE_FAILURES + 1; i++)
    await signInStaff({ email: u.email, password: `guess number ${i}` }, "192.0.2.44");
  const waiting = await signInStaff({ email: u.email, password: OLD }, null);
  assert.equal(!waiting.ok && waiting.reason, "rate-limited");
  assert.deepEqual(await unlockSignIn(u.id, admin.id), { cleared: 2 });
  assert.equal((await signInStaff({ email: u.email, password: OLD }, null)).ok, true);
  const audit = await db().auditEvent.findFirstOrThrow({ where: { subject: u.id, action: "user.sign-in-unlocked" } });
  assert.equal(audit.actorId, admin.id);
});
