// Attacks on invitations, replayed against the test database: a second coordinator inviting the email of a
// first coordinator's reader, re-inviting an email that already has an invitation, and inviting an account an
// administrator deactivated. Each must leave the other study, the reader's account and the answers alone.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { createInvitation, reissueInvitation, revokeInvitation } from "./invitations";
import { readerCase, readerStudies, submitAnswer, saveDraft } from "./reader-survey";
import { studyProgress } from "./progress";
import { studyAnswerRows } from "../export/answers-export";
import { signInWithInvitation } from "../auth/credentials";
import { signOutSessions } from "../auth/sign-out";
import { isSessionCurrent } from "../auth/session-version";

const tokenOf = (link: string) => link.split("/").pop()!;
const ip = () => `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(2).toString("hex")}`;
const email = () => `shared-${randomBytes(4).toString("hex")}@clinic.test`;

/** The conflict's details when a call is refused with one, else the failure. */
async function conflictOf(p: Promise<unknown>): Promise<{ message: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { kind?: string; status?: number; message: string; details?: unknown };
    assert.ok(err.kind === "conflict" || err.status === 409, `expected a conflict, got ${String(e)}`);
    return { message: err.message, details: err.details };
  }
  assert.fail("expected the call to be refused");
}

after(() => disconnectDb());

describe("another coordinator's reader", () => {
  test("B's invite of A's reader edits nothing of the account, and A's name and specialty stay A's", async () => {
    const a = await createStudyFixture({ cases: 2, arms: 2 });
    const b = await createStudyFixture({ cases: 1, arms: 2 });
    const address = email();
    const invA = await createInvitation(
      a.studyId,
      { email: address, name: "Ann Derm", specialty: "DERMATOLOGY" },
      a.ownerId,
    );
    const before = await db().user.findUniqueOrThrow({ where: { id: invA.reader.id } });
    await readerCase(before.id, a.studyId, 1);
    await submitAnswer(before.id, a.studyId, 1, { slot: "A", rationale: "A's answer, private", confidence: 3 });

    const invB = await createInvitation(
      b.studyId,
      { email: address.toUpperCase(), name: "Renamed By B", specialty: "RADIOLOGY" },
      b.ownerId,
    );
    const afterB = await db().user.findUniqueOrThrow({ where: { id: before.id } });
    assert.deepEqual(
      { name: afterB.name, specialty: afterB.specialty, active: afterB.active },
      { name: before.name, specialty: before.specialty, active: before.active },
      "an invite never edits the reader's account",
    );
    const [progressA] = (await studyProgress(a.studyId)).readers;
    assert.deepEqual([progressA.name, progressA.specialty], ["Ann Derm", "DERMATOLOGY"]);
    const [rowA] = await studyAnswerRows(a.studyId);
    assert.equal(rowA.specialty, "dermatology", "A's CSV by specialty is A's");
    const [progressB] = (await studyProgress(b.studyId)).readers;
    assert.deepEqual([progressB.name, progressB.specialty], ["Renamed By B", "RADIOLOGY"]);

    // The link B holds signs in to B's invitation, and that session lists B's study only.
    const session = await signInWithInvitation(tokenOf(invB.link), ip());
    assert.ok(session.ok);
    assert.equal(session.user.invitationId, invB.invitation.id);
    assert.equal(session.studyId, b.studyId);
    assert.equal(session.user.name, "Renamed By B", "the session shows B's own entry, not A's");
    const visible = (await readerStudies(session.user.id, session.studyId)).map((s) => s.studyId);
    assert.deepEqual(visible, [b.studyId]);
  });
  test("signing out of B's session of the shared reader leaves the reader's session in A's study working", async () => {
    const a = await createStudyFixture({ cases: 1, arms: 2 });
    const b = await createStudyFixture({ cases: 1, arms: 2 });
    const address = email();
    const invA = await createInvitation(a.studyId, { email: address, name: "In A", specialty: "OTHER" }, a.ownerId);
    const invB = await createInvitation(b.studyId, { email: address, name: "In B", specialty: "OTHER" }, b.ownerId);
    const inA = await signInWithInvitation(tokenOf(invA.link), ip());
    const inB = await signInWithInvitation(tokenOf(invB.link), ip());
    assert.ok(inA.ok && inB.ok);
    await signOutSessions(inB.user.id, inB.user.sessionVersion, {
      id: invB.invitation.id,
      version: inB.user.invitationSessionVersion,
    });
    const user = await db().user.findUniqueOrThrow({ where: { id: inA.user.id } });
    const rowA = await db().invitation.findUniqueOrThrow({ where: { id: invA.invitation.id } });
    const rowB = await db().invitation.findUniqueOrThrow({ where: { id: invB.invitation.id } });
    assert.ok(isSessionCurrent(inA.user.sessionVersion, user), "the account's sessions were not ended");
    assert.ok(isSessionCurrent(inA.user.invitationSessionVersion, rowA), "A's session still works");
    assert.ok(!isSessionCurrent(inB.user.invitationSessionVersion, rowB), "B's own session ended");
  });
});

describe("re-inviting", () => {
  test("an email with a live invitation gets that invitation shown; nothing is re-issued", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const address = email();
    const first = await createInvitation(
      f.studyId,
      { email: address, name: "First Name", specialty: "OTHER" },
      f.ownerId,
    );
    await saveDraft(first.reader.id, f.studyId, 1, { rationale: "a draft that must survive" });
    const refused = await conflictOf(
      createInvitation(f.studyId, { email: address, name: "Second", specialty: "RADIOLOGY" }, f.ownerId),
    );
    const existing = (refused.details as { existingInvitation: Record<string, unknown> }).existingInvitation;
    assert.deepEqual(
      { id: existing.invitationId, status: existing.status, name: existing.readerName, used: existing.linkUsed },
      { id: first.invitation.id, status: "PENDING", name: "First Name", used: false },
    );
    const row = await db().invitation.findUniqueOrThrow({ where: { id: first.invitation.id } });
    assert.deepEqual(
      [row.tokenHash, row.readerName, row.specialty],
      [first.invitation.tokenHash, "First Name", "OTHER"],
    );
    assert.ok((await signInWithInvitation(tokenOf(first.link), ip())).ok, "the first link still works");
    const response = await db().response.findFirstOrThrow({ where: { readerId: first.reader.id } });
    assert.equal(response.draftRationale, "a draft that must survive");
  });

  test("a revoked invitation stays revoked: re-inviting and re-issuing both refuse", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const address = email();
    const inv = await createInvitation(
      f.studyId,
      { email: address, name: "Revoked Reader", specialty: "OTHER" },
      f.ownerId,
    );
    await revokeInvitation(inv.invitation.id, f.ownerId);
    const again = await conflictOf(
      createInvitation(f.studyId, { email: address, name: "Revoked Reader", specialty: "OTHER" }, f.ownerId),
    );
    assert.equal((again.details as { existingInvitation: { status: string } }).existingInvitation.status, "REVOKED");
    await conflictOf(reissueInvitation(inv.invitation.id, f.ownerId));
    const row = await db().invitation.findUniqueOrThrow({ where: { id: inv.invitation.id } });
    assert.equal(row.status, "REVOKED");
    assert.deepEqual(await signInWithInvitation(tokenOf(inv.link), ip()), { ok: false, reason: "revoked" });
  });
});

describe("deactivated reader re-invited", () => {
  test("the invite is refused with a clear message, audited, and the account stays inactive", async () => {
    const a = await createStudyFixture({ cases: 1, arms: 2 });
    const b = await createStudyFixture({ cases: 1, arms: 2 });
    const address = email();
    const inv = await createInvitation(
      a.studyId,
      { email: address, name: "Deactivated", specialty: "OTHER" },
      a.ownerId,
    );
    await db().user.update({ where: { id: inv.reader.id }, data: { active: false } });
    const invitationsBefore = await db().invitation.count({ where: { readerId: inv.reader.id } });
    for (const f of [a, b]) {
      const refused = await conflictOf(
        createInvitation(f.studyId, { email: address, name: "Back Again", specialty: "OTHER" }, f.ownerId),
      );
      assert.match(refused.message, /deactivated by an administrator/);
      const audit = await db().auditEvent.findFirst({
        where: { action: "invitation.refused", subject: f.studyId, actorId: f.ownerId },
      });
      assert.ok(audit, "the refusal is in the audit log");
      assert.deepEqual(audit.details, { readerId: inv.reader.id, reason: "deactivated" });
    }
    const user = await db().user.findUniqueOrThrow({ where: { id: inv.reader.id } });
    assert.equal(user.active, false);
    assert.equal(await db().invitation.count({ where: { readerId: inv.reader.id } }), invitationsBefore);
  });
});
