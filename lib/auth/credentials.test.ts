import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import { db } from "../db/client";
import { createStaffUser } from "../users/users";
import { signInStaff, signInWithInvitation } from "./credentials";
import { FREE_FAILURES } from "./rate-limit";
import { createStudyFixture } from "../testing/study-fixture";

const email = () => `cred-${randomBytes(4).toString("hex")}@test.local`;
const ip = () => `10.0.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(2).toString("hex")}`;
const tokenOf = (link: string) => link.split("/").pop()!;

describe("staff sign-in", () => {
  test("right password signs in; wrong password and unknown email do not", async () => {
    const e = email();
    await createStaffUser({ email: e, name: "Staff", role: "RESEARCHER", password: "a very good password" }, null);
    const ok = await signInStaff({ email: e.toUpperCase(), password: "a very good password" }, ip());
    assert.equal(ok.ok && ok.user.role, "RESEARCHER");
    assert.deepEqual(await signInStaff({ email: e, password: "wrong password" }, ip()), {
      ok: false,
      reason: "invalid",
    });
    assert.deepEqual(await signInStaff({ email: email(), password: "whatever" }, ip()), {
      ok: false,
      reason: "invalid",
    });
    assert.deepEqual(await signInStaff({ email: "not an email", password: "x" }, ip()), {
      ok: false,
      reason: "invalid",
    });
  });

  test("a bcrypt hash from before argon2 signs in once more and is replaced by argon2id", async () => {
    const e = email();
    const u = await createStaffUser(
      { email: e, name: "Staff", role: "ADMIN", password: "another fine password" },
      null,
    );
    const legacy = await bcryptHash("the old bcrypt password", 10);
    await db().user.update({ where: { id: u.id }, data: { passwordHash: legacy } });
    assert.deepEqual(await signInStaff({ email: e, password: "not the old password" }, ip()), {
      ok: false,
      reason: "invalid",
    });
    assert.equal((await db().user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash, legacy);
    assert.equal((await signInStaff({ email: e, password: "the old bcrypt password" }, ip())).ok, true);
    const upgraded = (await db().user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash!;
    assert.match(upgraded, /^\$argon2id\$/);
    assert.equal((await signInStaff({ email: e, password: "the old bcrypt password" }, ip())).ok, true);
    assert.equal(await db().auditEvent.count({ where: { subject: u.id, action: "user.password-rehashed" } }), 1);
  });

  test("no silent truncation: a password sharing only the first 72 bytes does not sign in", async () => {
    const e = email();
    const prefix = "Seventy-two bytes of a long passphrase, the limit where bcrypt stopped!!";
    assert.equal(Buffer.byteLength(prefix), 72);
    await createStaffUser({ email: e, name: "Staff", role: "RESEARCHER", password: `${prefix} and the rest` }, null);
    assert.deepEqual(await signInStaff({ email: e, password: `${prefix} but other` }, ip()), {
      ok: false,
      reason: "invalid",
    });
    assert.equal((await signInStaff({ email: e, password: `${prefix} and the rest` }, ip())).ok, true);
  });

  test("24 simultaneous wrong passwords: only the free attempts are checked, the rest refused unchecked", async () => {
    const e = email();
    await createStaffUser({ email: e, name: "Staff", role: "COORDINATOR", password: "correct password!" }, null);
    const client = ip();
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => signInStaff({ email: e, password: `guess ${i}` }, client)),
    );
    assert.equal(results.filter((r) => !r.ok && r.reason === "invalid").length, FREE_FAILURES);
    assert.equal(results.filter((r) => !r.ok && r.reason === "rate-limited").length, 24 - FREE_FAILURES);
    // The right password waits too (from any client: the per-email key), with the wait stated.
    const refused = await signInStaff({ email: e, password: "correct password!" }, ip());
    assert.ok(!refused.ok && refused.reason === "rate-limited" && refused.retryAfterS >= 1, JSON.stringify(refused));
  });

  test("a deactivated account cannot sign in", async () => {
    const e = email();
    const u = await createStaffUser(
      { email: e, name: "Staff", role: "COORDINATOR", password: "correct password!" },
      null,
    );
    await db().user.update({ where: { id: u.id }, data: { active: false } });
    assert.deepEqual(await signInStaff({ email: e, password: "correct password!" }, ip()), {
      ok: false,
      reason: "invalid",
    });
  });
});

describe("invitation sign-in", () => {
  test("a link works once; of two concurrent uses exactly one wins", async () => {
    const f = await createStudyFixture({ cases: 1 });
    const { link, readerId } = await f.inviteReader();
    const results = await Promise.all([
      signInWithInvitation(tokenOf(link), ip()),
      signInWithInvitation(tokenOf(link), ip()),
    ]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    const winner = results.find((r) => r.ok)!;
    assert.equal(winner.ok && winner.user.id, readerId);
    assert.deepEqual(
      results.find((r) => !r.ok),
      { ok: false, reason: "used" },
    );
    const inv = await db().invitation.findFirstOrThrow({ where: { readerId } });
    assert.equal(inv.status, "ACCEPTED");
    assert.notEqual(inv.tokenHash, tokenOf(link)); // only the hash is stored
  });

  test("expired, revoked and malformed links are refused with their reason", async () => {
    const f = await createStudyFixture({ cases: 1 });
    const a = await f.inviteReader();
    await db().invitation.updateMany({
      where: { readerId: a.readerId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    assert.deepEqual(await signInWithInvitation(tokenOf(a.link), ip()), { ok: false, reason: "expired" });
    const b = await f.inviteReader();
    await db().invitation.updateMany({ where: { readerId: b.readerId }, data: { status: "REVOKED" } });
    assert.deepEqual(await signInWithInvitation(tokenOf(b.link), ip()), { ok: false, reason: "revoked" });
    assert.deepEqual(await signInWithInvitation("../../etc/passwd", ip()), { ok: false, reason: "invalid" });
    assert.deepEqual(await signInWithInvitation(randomBytes(32).toString("base64url"), ip()), {
      ok: false,
      reason: "invalid",
    });
  });
});
