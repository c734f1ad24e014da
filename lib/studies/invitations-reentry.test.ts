// Coming back into one's own invitation: the coordinator's re-entry link and the emailed sign-in link sign in
// to that invitation only, keep identity and answers, can be revoked, and are audited.
import { test, describe, before, after } from "node:test";
import { startSmtpSink, type SmtpSink } from "../testing/smtp-sink";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import {
  issueReentryLink,
  revokeReentryLinks,
  claimReentryToken,
  requestEmailSignInLinks,
  EMAIL_LINKS_PER_WINDOW,
} from "./invitations-reentry";
import { createInvitation } from "./invitations";
import { revokeInvitation } from "./invitations";
import { saveDraft } from "./reader-survey";
import { signInWithReentry } from "../auth/credentials";

const tokenOf = (link: string) => link.split("/").pop()!;
const ip = () => `10.8.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(2).toString("hex")}`;

let smtp: SmtpSink;
before(async () => {
  smtp = await startSmtpSink();
});
after(async () => {
  delete process.env.FOCUS_SMTP_URL;
  await smtp.close();
  await disconnectDb();
});

/** The /reenter links in the last message to `address` (quoted-printable soft breaks undone). */
function linksMailedTo(address: string): string[] {
  const mail = smtp.messages.filter((m) => m.rcptTo.includes(address)).at(-1);
  if (!mail) return [];
  const text = mail.raw.replace(/=\r?\n/g, "");
  return [...new Set([...text.matchAll(/https?:\/\/[^\s"<>]+\/reenter\/[A-Za-z0-9_-]{43}/g)].map((m) => m[0]))];
}

describe("re-entry link", () => {
  test("signs in to its invitation again and again, without touching identity or answers", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await f.inviteReader("Comes Back");
    await saveDraft(r.readerId, f.studyId, 1, { rationale: "kept across devices" });
    const { link } = await issueReentryLink(f.studyId, r.invitationId, f.ownerId);
    for (let i = 0; i < 2; i++) {
      const s = await signInWithReentry(tokenOf(link), ip());
      assert.ok(s.ok, JSON.stringify(s));
      assert.deepEqual(
        [s.user.id, s.user.invitationId, s.studyId, s.user.name],
        [r.readerId, r.invitationId, f.studyId, "Comes Back"],
      );
    }
    const draft = await db().response.findFirstOrThrow({ where: { readerId: r.readerId } });
    assert.equal(draft.draftRationale, "kept across devices");
    const actions = (
      await db().auditEvent.findMany({ where: { subject: r.invitationId }, select: { action: true } })
    ).map((a) => a.action);
    assert.deepEqual(actions.filter((a) => a.startsWith("invitation.reentry")).sort(), [
      "invitation.reentry.issue",
      "invitation.reentry.use",
      "invitation.reentry.use",
    ]);
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

describe("emailed sign-in link", () => {
  test("one single-use link per live invitation of the address, to that address only", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const a = await createStudyFixture({ cases: 1, arms: 2 });
    const b = await createStudyFixture({ cases: 1, arms: 2 });
    const address = `mailed-${randomBytes(4).toString("hex")}@clinic.test`;
    const inA = await createInvitation(
      a.studyId,
      { email: address, name: "Mailed Reader", specialty: "OTHER" },
      a.ownerId,
    );
    const inB = await createInvitation(
      b.studyId,
      { email: address, name: "Mailed Reader", specialty: "OTHER" },
      b.ownerId,
    );
    const out = await requestEmailSignInLinks(address.toUpperCase());
    assert.equal(out.links, 2);
    assert.equal(out.mail?.sent, true);
    const links = linksMailedTo(address);
    assert.equal(links.length, 2);
    const sessions = [];
    for (const link of links) {
      const s = await signInWithReentry(tokenOf(link), ip());
      assert.ok(s.ok);
      sessions.push([s.user.invitationId, s.studyId]);
      assert.deepEqual(
        await signInWithReentry(tokenOf(link), ip()),
        { ok: false, reason: "used" },
        "an emailed link works once",
      );
    }
    assert.deepEqual(
      sessions.sort(),
      [
        [inA.invitation.id, a.studyId],
        [inB.invitation.id, b.studyId],
      ].sort(),
    );
    const audited = await db().auditEvent.count({
      where: { action: "invitation.reentry.email", subject: { in: [inA.invitation.id, inB.invitation.id] } },
    });
    assert.equal(audited, 2);
  });

  test("unknown, staff, revoked and over-asked addresses get no link; mail off sends nothing", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const before = smtp.messages.length;
    assert.equal((await requestEmailSignInLinks(`nobody-${randomBytes(4).toString("hex")}@clinic.test`)).links, 0);
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId } });
    assert.equal((await requestEmailSignInLinks(owner.email)).links, 0);
    const r = await f.inviteReader();
    const { email } = await db().user.findUniqueOrThrow({ where: { id: r.readerId } });
    for (let i = 0; i < EMAIL_LINKS_PER_WINDOW; i++) assert.equal((await requestEmailSignInLinks(email)).links, 1);
    assert.equal((await requestEmailSignInLinks(email)).links, 0, "at most a few links per invitation in the window");
    const revoked = await f.inviteReader();
    await revokeInvitation(revoked.invitationId, f.ownerId);
    const revokedEmail = (await db().user.findUniqueOrThrow({ where: { id: revoked.readerId } })).email;
    assert.equal((await requestEmailSignInLinks(revokedEmail)).links, 0, "a revoked invitation gets no link");
    const r2 = await f.inviteReader();
    const second = await db().user.findUniqueOrThrow({ where: { id: r2.readerId } });
    delete process.env.FOCUS_SMTP_URL;
    assert.deepEqual(await requestEmailSignInLinks(second.email), { links: 0, mail: null });
    assert.equal(smtp.messages.length - before, EMAIL_LINKS_PER_WINDOW);
    await assert.rejects(requestEmailSignInLinks("not an email"), /valid email/);
  });
});
