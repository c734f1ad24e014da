// Reminder emails through a local smtp-server, against the test database: who gets one, what is audited, the
// quiet period, mail off, another coordinator refused, and the scheduled job's one-send-per-due-time claim.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSmtpSink, type SmtpSink } from "../testing/smtp-sink";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { fixtureCoordinator } from "../testing/seed-runs";
import { isDomainError } from "../errors/domain-error";
import { readerCase, submitAnswer } from "./reader-survey";
import { revokeInvitation } from "./invitations";
import { remindReaders, runScheduledReminders, setReminderSchedule } from "./reminders";
import { REMINDERS_QUEUE } from "../jobs/queues";

let smtp: SmtpSink;
before(async () => {
  smtp = await startSmtpSink();
});
after(async () => {
  delete process.env.FOCUS_SMTP_URL;
  await smtp.close();
  await disconnectDb();
});

async function studyWithReaders() {
  const f = await createStudyFixture({ cases: 2, arms: 2 });
  const owner = { id: f.ownerId, role: "COORDINATOR" as const };
  const done = await f.inviteReader("Done Reader");
  const half = await f.inviteReader("Half Reader");
  const gone = await f.inviteReader("Gone Reader");
  for (const n of [1, 2]) {
    await readerCase(done.readerId, f.studyId, n);
    await submitAnswer(done.readerId, f.studyId, n, { slot: "A", rationale: "finished it", confidence: 2 });
  }
  await readerCase(half.readerId, f.studyId, 1);
  await submitAnswer(half.readerId, f.studyId, 1, { slot: "B", rationale: "one of two", confidence: 2 });
  await revokeInvitation(gone.invitationId, f.ownerId);
  const emailOf = async (readerId: string) => (await db().user.findUniqueOrThrow({ where: { id: readerId } })).email;
  return { f, owner, half, emails: { done: await emailOf(done.readerId), half: await emailOf(half.readerId) } };
}

const reminderAudits = (studyId: string) =>
  db().auditEvent.findMany({
    where: { action: "invitation.reminder", details: { path: ["studyId"], equals: studyId } },
  });

describe("reminders", () => {
  test("mail off: nothing is sent and nothing is written", async () => {
    delete process.env.FOCUS_SMTP_URL;
    const { f, owner } = await studyWithReaders();
    const before = smtp.messages.length;
    assert.deepEqual(await remindReaders(owner, f.studyId), { mailOn: false, sent: 0, failed: 0, skipped: 0 });
    assert.equal(smtp.messages.length, before);
    assert.equal((await reminderAudits(f.studyId)).length, 0);
  });

  test("only unfinished live readers get one, audited with lastRemindedAt; a second click is quiet", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const { f, owner, half, emails } = await studyWithReaders();
    const before = smtp.messages.length;
    assert.deepEqual(await remindReaders(owner, f.studyId), { mailOn: true, sent: 1, failed: 0, skipped: 0 });
    const mine = smtp.messages.slice(before);
    assert.deepEqual(
      mine.map((m) => m.rcptTo),
      [[emails.half]],
    );
    const body = mine[0].raw.replace(/=\r\n/g, "");
    assert.match(body, /answered 1 of 2 cases/);
    assert.match(body, /\/signin\/reader/);
    const audits = await reminderAudits(f.studyId);
    assert.equal(audits.length, 1);
    assert.equal(audits[0].subject, half.invitationId);
    assert.equal(audits[0].actorId, f.ownerId);
    assert.ok((await db().invitation.findUniqueOrThrow({ where: { id: half.invitationId } })).lastRemindedAt);
    assert.deepEqual(await remindReaders(owner, f.studyId), { mailOn: true, sent: 0, failed: 0, skipped: 1 });
    assert.equal(smtp.messages.length, before + 1);
  });

  test("another coordinator is refused as if the study did not exist", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const { f } = await studyWithReaders();
    const other = { id: (await fixtureCoordinator()).id, role: "COORDINATOR" as const };
    const before = smtp.messages.length;
    await assert.rejects(remindReaders(other, f.studyId), (e) => isDomainError(e, "not-found"));
    await assert.rejects(setReminderSchedule(other, f.studyId, { intervalDays: 2 }), (e) =>
      isDomainError(e, "not-found"),
    );
    assert.equal(smtp.messages.length, before);
    const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId } });
    assert.equal(study.reminderIntervalDays, null);
  });

  test("the schedule: audited; the job sends once per due time and queues the next", async () => {
    process.env.FOCUS_SMTP_URL = smtp.url;
    const { f, owner, emails } = await studyWithReaders();
    const sent: { queue: string; data: unknown; at: Date }[] = [];
    const boss = {
      send: (queue: string, data: object, opts: { startAfter: Date }) => {
        sent.push({ queue, data, at: opts.startAfter });
        return Promise.resolve("job");
      },
    } as unknown as Parameters<typeof runScheduledReminders>[0];
    const t0 = new Date();
    const next = await setReminderSchedule(owner, f.studyId, { intervalDays: "3" }, t0);
    assert.equal(next!.getTime(), t0.getTime() + 3 * 86_400_000);
    const [audit] = await db().auditEvent.findMany({
      where: { action: "study.reminder-schedule", subject: f.studyId },
    });
    assert.deepEqual(audit.details, { intervalDays: 3 });
    await assert.rejects(setReminderSchedule(owner, f.studyId, { intervalDays: 0 }), (e) =>
      isDomainError(e, "invalid"),
    );

    // Too early: nothing sent, the job waits for the due time.
    const before = smtp.messages.length;
    assert.equal(await runScheduledReminders(boss, f.studyId, t0), null);
    assert.equal(smtp.messages.length, before);
    assert.deepEqual(sent.at(-1), { queue: REMINDERS_QUEUE, data: { studyId: f.studyId }, at: next });

    const due = new Date(next!.getTime() + 1000);
    const outcome = await runScheduledReminders(boss, f.studyId, due);
    assert.equal(outcome?.sent, 1);
    assert.deepEqual(smtp.messages.at(-1)!.rcptTo, [emails.half]);
    const following = new Date(due.getTime() + 3 * 86_400_000);
    assert.equal(sent.at(-1)!.at.getTime(), following.getTime());
    const audits = await reminderAudits(f.studyId);
    assert.equal(audits.at(-1)!.actorId, null);
    // A duplicate job for the same due time sends nothing.
    assert.equal(await runScheduledReminders(boss, f.studyId, due), null);
    assert.equal(smtp.messages.length, before + 1);

    // Off: the job stops.
    assert.equal(await setReminderSchedule(owner, f.studyId, { intervalDays: null }), null);
    const jobs = sent.length;
    assert.equal(await runScheduledReminders(boss, f.studyId, new Date(following.getTime() + 1000)), null);
    assert.equal(sent.length, jobs);
  });
});
