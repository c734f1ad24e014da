// Coming back into one's own invitation: the coordinator's re-entry link and the emailed sign-in link sign in
// to that invitation only, keep identity and answers, can be revoked, and are audited.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { issueReentryLink, revokeReentryLinks, claimReentryToken } from "./invitations-reentry";
import { revokeInvitation } from "./invitations";
import { saveDraft } from "./reader-survey";
import { signInWithReentry } from "../auth/credentials";

const tokenOf = (link: string) => link.split("/").pop()!;
const ip = () => `10.8.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(2).toString("hex")}`;

after(() => disconnectDb());

describe("re-entry link", () => {
  test("signs in to its invitation again and again, without touching identity or answers", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await f.inviteReader("Comes Back");
    await saveDraft(r.readerId, f.studyId, 1, { rationale: "kept across devices" });
    const { link } = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    for (let i = 0; i < 2; i++) {
      const s = await signInWithReentry(tokenOf(link), ip());
      assert.ok(s.ok, JSON.stringify(s));
      assert.deepEqual([s.user.id, s.user.invitationId, s.studyId, s.user.name], [r.readerId, r.invitationId, f.studyId, "Comes Back"]);
    }
    const draft = await db().response.findFirstOrThrow({ where: { readerId: r.readerId } });
    assert.equal(draft.draftRationale, "kept across devices");
    const actions = (await db().auditEvent.findMany({ where: { subject: r.invitationId }, select: { action: true } })).map((a) => a.action);
    assert.deepEqual(actions.filter((a) => a.startsWith("invitation.reentry")).sort(), ["invitation.reentry.issue", "invitation.reentry.use", "invitation.reentry.use"]);
  });

  test("a new link replaces the old; revoking, or revoking the invitation, stops it", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await f.inviteReader();
    const first = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    const second = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    assert.deepEqual(await claimReentryToken(tokenOf(first.link)), { ok: false, reason: "revoked" });
    assert.ok((await claimReentryToken(tokenOf(second.link))).ok);
    await revokeReentryLinks(f.studyId, r.invitationId, f.ownerId);
    assert.deepEqual(await claimReentryToken(tokenOf(second.link)), { ok: false, reason: "revoked" });
    const third = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    await revokeInvitation(r.invitationId, f.ownerId);
    assert.deepEqual(await claimReentryToken(tokenOf(third.link)), { ok: false, reason: "revoked" });
    await assert.rejects(issueReentryLink(f.studyId, r.invitationId, f.ownerId), /revoked/);
  });

  test("another coordinator cannot make a re-entry link for an invitation of a study they do not own", async () => {
    const a = await createStudyFixture({ cases: 1, arms: 2 });
    const b = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await a.inviteReader();
    await assert.rejects(issueReentryLink(b.studyId, r.invitationId, b.ownerId), /No such invitation/);
    await assert.rejects(revokeReentryLinks(b.studyId, r.invitationId, b.ownerId), /No such invitation/);
    assert.equal(await db().reentryToken.count({ where: { invitationId: r.invitationId } }), 0);
  });

  test("a deactivated reader's re-entry link does not sign in", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await f.inviteReader();
    const { link } = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    await db().user.update({ where: { id: r.readerId }, data: { active: false } });
    assert.equal((await claimReentryToken(tokenOf(link))).ok, false);
  });
});
