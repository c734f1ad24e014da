// The coordinator-side wiring against the test database: a real invitation is emailed through a local
// smtp-server, and the outcome (sent or not, and why) lands in the audit log. Needs DATABASE_URL
// (run through `npm run test:unit -- lib/mail`).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { startSmtpSink, type SmtpSink } from "../testing/smtp-sink";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture, type StudyFixture } from "../testing/study-fixture";
import { createInvitation, reissueInvitation } from "../studies/invitations";
import { emailInvitation } from "./email-invitation";
import { emailOutcomeMessage } from "./email-outcome";

let smtp: SmtpSink;
let fixture: StudyFixture;

before(async () => {
  smtp = await startSmtpSink();
  fixture = await createStudyFixture({ cases: 1, arms: 2 });
});
after(async () => {
  delete process.env.FOCUS_SMTP_URL;
  await smtp.close();
  await disconnectDb();
});

async function lastEmailAudit(invitationId: string) {
  return db().auditEvent.findFirst({
    where: { action: "invitation.email", subject: invitationId },
    orderBy: { createdAt: "desc" },
  });
}

function newReader() {
  return {
    email: `reader-${Math.random().toString(36).slice(2, 10)}@mail.test`,
    name: "Grace Hopper",
    specialty: "RADIOLOGY",
  };
}

describe("emailInvitation", () => {
  test("mail off: nothing is sent, nothing is audited, no outcome to show", async () => {
    delete process.env.FOCUS_SMTP_URL;
    const { invitation, link } = await createInvitation(fixture.studyId, newReader(), fixture.ownerId);
    const before = smtp.messages.length;
    assert.equal(await emailInvitation(invitation.id, link, fixture.ownerId), null);
    assert.equal(smtp.messages.length, before);
    assert.equal(await lastEmailAudit(invitation.id), null);
  });

  test("mail on: the reader gets the link for this study, and the audit log says sent", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const reader = newReader();
    const { invitation, link } = await createInvitation(fixture.studyId, reader, fixture.ownerId);
    const outcome = await emailInvitation(invitation.id, link, fixture.ownerId);
    assert.deepEqual(outcome, { to: reader.email, sent: true });
    assert.equal(emailOutcomeMessage(outcome), `Email sent to ${reader.email}.`);

    const msg = smtp.messages.at(-1)!;
    assert.deepEqual(msg.rcptTo, [reader.email]);
    const title = (await db().study.findUniqueOrThrow({ where: { id: fixture.studyId } })).title;
    const flat = msg.raw.replace(/=\r\n/g, ""); // undo quoted-printable soft line breaks
    assert.ok(flat.includes(link), "message carries the link");
    assert.ok(flat.includes(title), "message names the study");

    const audit = await lastEmailAudit(invitation.id);
    assert.equal(audit?.actorId, fixture.ownerId);
    assert.deepEqual(audit?.details, { sent: true });
  });

  test("a re-issued link is emailed too, and a dead server is reported and audited without losing the link", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const { invitation } = await createInvitation(fixture.studyId, newReader(), fixture.ownerId);
    const reissued = await reissueInvitation(invitation.id, fixture.ownerId);
    assert.equal((await emailInvitation(invitation.id, reissued.link, fixture.ownerId))?.sent, true);
    assert.ok(smtp.messages.at(-1)!.raw.replace(/=\r\n/g, "").includes(reissued.link.split("/").pop()!));

    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    process.env.FOCUS_SMTP_URL = `smtp://127.0.0.1:${deadPort}`;

    const again = await reissueInvitation(invitation.id, fixture.ownerId);
    const outcome = await emailInvitation(invitation.id, again.link, fixture.ownerId);
    assert.equal(outcome?.sent, false);
    assert.equal(outcome?.error, "The mail server refused the connection.");
    assert.equal(
      emailOutcomeMessage(outcome),
      "Email not sent: The mail server refused the connection. Send the link yourself.",
    );
    assert.deepEqual((await lastEmailAudit(invitation.id))?.details, {
      sent: false,
      error: "The mail server refused the connection.",
    });
    // The invitation itself is untouched by the failed send: still pending, link still valid.
    const row = await db().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    assert.equal(row.status, "PENDING");
    assert.ok(row.expiresAt > new Date());
  });
});
