import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { createStaffUser, setUserActive } from "../users/users";
import { isSessionCurrent } from "./session-version";
import { signOutSessions } from "./sign-out";
import { signInStaff } from "./credentials";

const PASSWORD = "session version test password";
const newStaff = async (role: "ADMIN" | "COORDINATOR") => {
  const email = `sv-${randomBytes(4).toString("hex")}@test.local`;
  const u = await createStaffUser({ email, name: "Staff", role, password: PASSWORD }, null);
  return { ...u, email };
};
const versionOf = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).sessionVersion;

test("a token is current only with its principal's exact version", () => {
  assert.equal(isSessionCurrent(3, { sessionVersion: 3 }), true);
  assert.equal(isSessionCurrent(2, { sessionVersion: 3 }), false);
  assert.equal(isSessionCurrent(undefined, { sessionVersion: 0 }), false);
  assert.equal(isSessionCurrent(null, { sessionVersion: 0 }), false);
});

test("sign-in hands out the current version; sign-out ends it, and a stale sign-out changes nothing", async () => {
  const u = await newStaff("COORDINATOR");
  const first = await signInStaff({ email: u.email, password: PASSWORD }, null);
  assert.ok(first.ok);
  const issued = first.user.sessionVersion;
  assert.equal(isSessionCurrent(issued, { sessionVersion: await versionOf(u.id) }), true);
  await signOutSessions(u.id, issued);
  assert.equal(isSessionCurrent(issued, { sessionVersion: await versionOf(u.id) }), false);
  const after = await versionOf(u.id);
  await signOutSessions(u.id, issued); // the same, already ended token again
  assert.equal(await versionOf(u.id), after);
  const audit = await db().auditEvent.findMany({ where: { subject: u.id, action: "user.sessions-ended" } });
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0].details, { reason: "sign-out" });
});

test("deactivation ends sessions, and reactivating does not bring them back", async () => {
  const admin = await newStaff("ADMIN");
  const u = await newStaff("COORDINATOR");
  const signedIn = await signInStaff({ email: u.email, password: PASSWORD }, null);
  assert.ok(signedIn.ok);
  await setUserActive(u.id, false, admin.id);
  await setUserActive(u.id, true, admin.id);
  assert.equal(isSessionCurrent(signedIn.user.sessionVersion, { sessionVersion: await versionOf(u.id) }), false);
});
