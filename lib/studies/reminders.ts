// Reminder emails to a study's readers who have not finished: sent by the coordinator's button or on a schedule
// (every N days, through the pg-boss queue `study-reminders`, run by the workers). Mail is optional: without
// FOCUS_SMTP_URL nothing is sent, nothing is written, and the coordinator's page says so. Each reminder that is
// attempted is audited with its outcome, in the same transaction as the invitation's lastRemindedAt.
// Blinding: the message names the study and the reader's progress only.
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { db } from "../db/client";
import { envVar } from "../config/env";
import { recordAudit } from "../audit/audit";
import { DomainError } from "../errors/domain-error";
import { parseInput } from "../errors/field-errors";
import type { SessionUser } from "../auth/session";
import { composeMessage } from "../mail/compose-message";
import { sendComposedEmail } from "../mail/send-invitation";
import { REMINDERS_QUEUE, type RemindersJobData } from "../jobs/queues";
import { mailEnabled } from "./invitations-reentry";
import { assertNotArchived, manageableStudy } from "./study-access";
import { readingCount } from "./case-order";
import { readSettings } from "./study-settings";

/** A reader reminded less than this long ago is skipped, so a double click or a schedule next to it is no spam. */
export const REMINDER_QUIET_MS = 12 * 3600_000;

export const reminderScheduleSchema = z.object({
  intervalDays: z.coerce
    .number({ error: "The interval must be a number of days" })
    .int("The interval must be a whole number of days")
    .min(1, "Remind at most once a day")
    .max(60, "Remind at least every 60 days")
    .nullable(),
});

export interface ReminderOutcome {
  /** False when mail is not configured: nothing was sent or written. */
  mailOn: boolean;
  sent: number;
  failed: number;
  /** Readers not finished but reminded within REMINDER_QUIET_MS. */
  skipped: number;
}

export function composeReminder(m: { readerName: string; studyTitle: string; answered: number; total: number }) {
  const site = (envVar("NEXTAUTH_URL") ?? "http://localhost:3000").replace(/\/$/, "");
  const title = m.studyTitle.trim();
  return composeMessage({
    subject: `Reminder: the reader study "${title}"`,
    paragraphs: [
      [`Dear ${m.readerName.trim()},`],
      [`You have answered ${m.answered} of ${m.total} cases of the reader study "${title}". Thank you for continuing.`],
      [
        "Open the personal link from your invitation email. If it was already used, get a sign-in link here:",
        { link: `${site}/signin/reader` },
      ],
      ["Your answers and drafts are kept.", "If you no longer wish to take part, you can ignore this email."],
      ["Focus"],
    ],
  });
}

/** Readers who may still answer and have not: live invitations with fewer submitted answers than readings. */
async function unfinished(studyId: string) {
  const [caseCount, study, invitations] = await Promise.all([
    db().studyCase.count({ where: { studyId } }),
    db().study.findUniqueOrThrow({ where: { id: studyId }, select: { settings: true } }),
    db().invitation.findMany({
      where: { studyId, status: { not: "REVOKED" }, reader: { active: true } },
      select: { id: true, readerId: true, readerName: true, lastRemindedAt: true, reader: { select: { email: true } } },
    }),
  ]);
  const answered = await db().response.groupBy({
    by: ["readerId"],
    where: { studyCase: { studyId }, submittedAt: { not: null } },
    _count: { _all: true },
  });
  const answeredBy = new Map(answered.map((a) => [a.readerId, a._count._all]));
  // Repeated cases are readings to do like any other (the reader is not told which they are).
  const total = readingCount(caseCount, readSettings(study.settings));
  return invitations
    .map((i) => ({ ...i, answered: answeredBy.get(i.readerId) ?? 0, total }))
    .filter((i) => i.answered < total);
}

/** Emails every unfinished reader not reminded within REMINDER_QUIET_MS; `actorId` null for the schedule. */
export async function sendStudyReminders(
  studyId: string,
  actorId: string | null,
  now = new Date(),
): Promise<ReminderOutcome> {
  const study = await db().study.findUnique({ where: { id: studyId }, select: { title: true, status: true } });
  if (!study) throw DomainError.notFound("No such study.");
  await assertNotArchived(db(), studyId);
  if (study.status !== "OPEN") throw DomainError.conflict("Reminders go out only while the study is open.");
  if (!mailEnabled()) return { mailOn: false, sent: 0, failed: 0, skipped: 0 };
  const outcome: ReminderOutcome = { mailOn: true, sent: 0, failed: 0, skipped: 0 };
  for (const inv of await unfinished(studyId)) {
    if (inv.lastRemindedAt && now.getTime() - inv.lastRemindedAt.getTime() < REMINDER_QUIET_MS) {
      outcome.skipped++;
      continue;
    }
    const result = await sendComposedEmail({ name: inv.readerName, address: inv.reader.email }, () =>
      composeReminder({
        readerName: inv.readerName,
        studyTitle: study.title,
        answered: inv.answered,
        total: inv.total,
      }),
    );
    if (result.sent) outcome.sent++;
    else outcome.failed++;
    await db().$transaction(async (tx) => {
      await tx.invitation.update({ where: { id: inv.id }, data: { lastRemindedAt: now } });
      const details = result.error ? { studyId, sent: false, error: result.error } : { studyId, sent: result.sent };
      await recordAudit(actorId, "invitation.reminder", inv.id, { ...details, scheduled: actorId === null }, tx);
    });
  }
  return outcome;
}

/** The button: the actor must manage the study. */
export async function remindReaders(actor: Pick<SessionUser, "id" | "role">, studyId: string) {
  await manageableStudy(actor, studyId);
  return sendStudyReminders(studyId, actor.id);
}

/**
 * Sets (or clears, with null) the reminder schedule; the first scheduled reminder goes out one interval from now.
 * Returns when it is due, for the caller to enqueue (scheduleReminderJob).
 */
export async function setReminderSchedule(
  actor: Pick<SessionUser, "id" | "role">,
  studyId: string,
  input: unknown,
  now = new Date(),
): Promise<Date | null> {
  await manageableStudy(actor, studyId);
  const { intervalDays } = parseInput(reminderScheduleSchema, input, "Fix the reminder interval; nothing was saved.");
  const next = intervalDays === null ? null : new Date(now.getTime() + intervalDays * 86_400_000);
  await db().$transaction(async (tx) => {
    await assertNotArchived(tx, studyId);
    await tx.study.update({
      where: { id: studyId },
      data: { reminderIntervalDays: intervalDays, nextReminderAt: next },
    });
    await recordAudit(actor.id, "study.reminder-schedule", studyId, { intervalDays }, tx);
  });
  return next;
}

export async function scheduleReminderJob(boss: Pick<PgBoss, "send">, studyId: string, at: Date): Promise<void> {
  const data: RemindersJobData = { studyId };
  await boss.send(REMINDERS_QUEUE, data, { startAfter: at });
}

/**
 * The scheduled job of one study. It claims the due reminder with one conditional update (so of duplicate jobs
 * only one sends), sends, and schedules the next job. A study that closed, was archived or lost its schedule
 * stops here.
 */
export async function runScheduledReminders(
  boss: Pick<PgBoss, "send">,
  studyId: string,
  now = new Date(),
): Promise<ReminderOutcome | null> {
  const study = await db().study.findUnique({
    where: { id: studyId },
    select: { status: true, archivedAt: true, reminderIntervalDays: true, nextReminderAt: true },
  });
  if (!study?.reminderIntervalDays || !study.nextReminderAt || study.archivedAt || study.status !== "OPEN") return null;
  if (study.nextReminderAt > now) {
    await scheduleReminderJob(boss, studyId, study.nextReminderAt); // early (a changed schedule): wait for it
    return null;
  }
  const next = new Date(now.getTime() + study.reminderIntervalDays * 86_400_000);
  const { count } = await db().study.updateMany({
    where: { id: studyId, nextReminderAt: study.nextReminderAt },
    data: { nextReminderAt: next },
  });
  if (count === 0) return null;
  const outcome = await sendStudyReminders(studyId, null, now);
  await scheduleReminderJob(boss, studyId, next);
  return outcome;
}

/** At worker start: a job for every scheduled study, so a lost job (or a restart) never ends a schedule. */
export async function requeueReminderJobs(boss: Pick<PgBoss, "send">): Promise<number> {
  const due = await db().study.findMany({
    where: { nextReminderAt: { not: null }, status: "OPEN", archivedAt: null },
    select: { id: true, nextReminderAt: true },
  });
  for (const s of due) await scheduleReminderJob(boss, s.id, s.nextReminderAt!);
  return due.length;
}
