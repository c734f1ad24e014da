"use server";
// Coordinator mutations. Each action re-checks the role and that the user may manage the study: a server
// action is a public POST endpoint whatever the page that rendered it.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireRole, type SessionUser } from "@/lib/auth/session";
import { toFormState, type FormState } from "@/lib/http/form-state";
import {
  closeStudy,
  createDraftStudy,
  deleteDraftStudy,
  missingHeatmapsOf,
  publishStudy,
  updateStudyQuestions,
  updateStudySettings,
} from "@/lib/studies/study-commands";
import { draftInputFromForm, questionsFromForm, settingsFromForm } from "@/lib/studies/study-form";
import {
  archiveStudy,
  cloneStudy,
  reopenStudy,
  setReaderExcluded,
  unarchiveStudy,
} from "@/lib/studies/study-lifecycle";
import { manageableStudy } from "@/lib/studies/study-access";
import { parseStudyDraft, parseStudyQuestions, parseStudySettings } from "@/lib/studies/study-schemas";
import { type MissingHeatmap } from "@/lib/studies/study-queries";
import {
  createInvitation,
  existingInvitationOf,
  reissueInvitation,
  revokeInvitation,
  type ExistingInvitation,
} from "@/lib/studies/invitations";
import { issueReentryLink, revokeReentryLinks } from "@/lib/studies/invitations-reentry";
import { bulkInvite, previewBulkInvite, type BulkResult } from "@/lib/studies/bulk-invite";
import { remindReaders, scheduleReminderJob, setReminderSchedule } from "@/lib/studies/reminders";
import { getBoss } from "@/lib/jobs/queues";
import { logger } from "@/lib/logging/logger";
import { DomainError, isDomainError } from "@/lib/errors/domain-error";
import { db } from "@/lib/db/client";
import { emailInvitation } from "@/lib/mail/email-invitation";
import { emailOutcomeMessage, type EmailOutcome } from "@/lib/mail/email-outcome";

export type StudyFormState = FormState<{
  missing: MissingHeatmap[];
  /** An invitation or re-entry link, shown once. */
  link: string;
  /** The study's invitation for an email that was invited again: shown instead of issuing anything. */
  existing: ExistingInvitation;
  /** What happened to the invitation email; absent when mail is off (no FOCUS_SMTP_URL). */
  email: EmailOutcome;
  /** A bulk invite's rows: the preview (nothing written) or what the invite did. */
  bulk: BulkResult & { committed: boolean; emails: Record<string, EmailOutcome> };
}>;

function failure(e: unknown): StudyFormState {
  const state: StudyFormState = toFormState(e);
  const missing = isDomainError(e) ? missingHeatmapsOf(e) : [];
  if (missing.length > 0) return { ...state, missing: missing.slice(0, 200) };
  const existing = existingInvitationOf(e);
  return existing ? { ...state, existing } : state;
}

async function staffFor(studyId: string): Promise<SessionUser> {
  const user = await requireRole("COORDINATOR", "ADMIN");
  await manageableStudy(user, studyId);
  return user;
}

export async function createStudyAction(_prev: StudyFormState, form: FormData): Promise<StudyFormState> {
  const user = await requireRole("COORDINATOR", "ADMIN");
  let id: string;
  try {
    ({ id } = await createDraftStudy(parseStudyDraft(draftInputFromForm(form)), user.id));
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/coordinator");
  redirect(`/coordinator/studies/${id}`);
}

/** Runs `run` for a user who may manage the study, then refreshes its page; failures become form state. */
async function studyAction(
  studyId: string,
  run: (actorId: string, actor: SessionUser) => Promise<StudyFormState>,
): Promise<StudyFormState> {
  let state: StudyFormState;
  try {
    const user = await staffFor(studyId);
    state = await run(user.id, user);
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/coordinator/studies/${studyId}`);
  return state;
}

/** A change to a study the user may manage, answered with `message`. */
async function studyChange(
  studyId: string,
  change: (actorId: string, actor: SessionUser) => Promise<unknown>,
  message: string,
): Promise<StudyFormState> {
  return studyAction(studyId, async (actorId, actor) => {
    await change(actorId, actor);
    return { ok: true, message };
  });
}

async function invitationOfStudy(studyId: string, invitationId: string) {
  const inv = await db().invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
}

/** Like studyAction, for one invitation that must belong to the study (another study's id is "no such"). */
async function studyInvitationAction(
  studyId: string,
  invitationId: string,
  run: (actorId: string, actor: SessionUser) => Promise<StudyFormState>,
): Promise<StudyFormState> {
  return studyAction(studyId, async (actorId, actor) => {
    await invitationOfStudy(studyId, invitationId);
    return run(actorId, actor);
  });
}

export async function updateSettingsAction(
  studyId: string,
  _prev: StudyFormState,
  form: FormData,
): Promise<StudyFormState> {
  return studyChange(
    studyId,
    (actorId) => updateStudySettings(studyId, parseStudySettings(settingsFromForm(form)), actorId),
    "Settings saved.",
  );
}

export async function updateQuestionsAction(
  studyId: string,
  _prev: StudyFormState,
  form: FormData,
): Promise<StudyFormState> {
  return studyChange(
    studyId,
    (actorId) => updateStudyQuestions(studyId, parseStudyQuestions(questionsFromForm(form)), actorId),
    "Questions saved.",
  );
}

export async function publishAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  return studyChange(
    studyId,
    (actorId) => publishStudy(studyId, actorId),
    "Published: invited readers can now answer.",
  );
}

export async function closeAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  return studyChange(studyId, (actorId) => closeStudy(studyId, actorId), "Closed: answers are final.");
}

export async function deleteDraftAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    await deleteDraftStudy(studyId, user.id);
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/coordinator");
  redirect("/coordinator");
}

export async function cloneAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  let id: string;
  try {
    ({ id } = await cloneStudy(await staffFor(studyId), studyId));
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/coordinator");
  redirect(`/coordinator/studies/${id}`);
}

export async function reopenAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  return studyChange(studyId, (_id, actor) => reopenStudy(actor, studyId), "Reopened: readers can answer again.");
}

export async function archiveAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  const state = await studyChange(
    studyId,
    (_id, actor) => archiveStudy(actor, studyId),
    "Archived: hidden from the study list and read-only.",
  );
  revalidatePath("/coordinator");
  return state;
}

export async function unarchiveAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  const state = await studyChange(
    studyId,
    (_id, actor) => unarchiveStudy(actor, studyId),
    "Un-archived: back in the study list.",
  );
  revalidatePath("/coordinator");
  return state;
}

export async function excludeReaderAction(
  studyId: string,
  invitationId: string,
  excluded: boolean,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  return studyChange(
    studyId,
    (_id, actor) => setReaderExcluded(actor, studyId, invitationId, excluded),
    excluded
      ? "Excluded: this reader's answers no longer count in any statistic (they stay in the exports)."
      : "Included again in the statistics.",
  );
}

/** `intent` "preview" shows what each row would do; "invite" invites the rows the study does not have yet. */
export async function bulkInviteAction(
  studyId: string,
  _prev: StudyFormState,
  form: FormData,
): Promise<StudyFormState> {
  return studyAction(studyId, async (actorId) => {
    const list = form.get("list");
    if (form.get("intent") !== "invite") {
      const preview = await previewBulkInvite(studyId, list);
      const fresh = preview.rows.filter((r) => r.outcome.kind === "new").length;
      return {
        ok: true,
        message: `Preview: ${fresh} new reader${fresh === 1 ? "" : "s"} would be invited; nothing is saved yet.`,
        bulk: { ...preview, committed: false, emails: {} },
      };
    }
    const emails: Record<string, EmailOutcome> = {};
    const result = await bulkInvite(studyId, list, actorId, async (invitationId, link) => {
      const outcome = await emailInvitation(invitationId, link, actorId);
      if (outcome) emails[invitationId] = outcome;
    });
    const invited = result.rows.filter((r) => r.outcome.kind === "invited").length;
    return {
      ok: true,
      message: `${invited} reader${invited === 1 ? "" : "s"} invited. Copy the links now: they are shown only once.`,
      bulk: { ...result, committed: true, emails },
    };
  });
}

export async function remindAction(studyId: string, _prev: StudyFormState): Promise<StudyFormState> {
  return studyAction(studyId, async (_id, actor) => {
    const o = await remindReaders(actor, studyId);
    if (!o.mailOn) return { ok: false, message: "Mail is not configured (FOCUS_SMTP_URL), so no reminder was sent." };
    const parts = [`${o.sent} reminder${o.sent === 1 ? "" : "s"} sent`];
    if (o.failed) parts.push(`${o.failed} not sent (see the audit log)`);
    if (o.skipped) parts.push(`${o.skipped} skipped: reminded in the last 12 hours`);
    return { ok: o.failed === 0, message: `${parts.join("; ")}.` };
  });
}

export async function reminderScheduleAction(
  studyId: string,
  _prev: StudyFormState,
  form: FormData,
): Promise<StudyFormState> {
  return studyAction(studyId, async (_id, actor) => {
    const raw = form.get("intervalDays");
    const next = await setReminderSchedule(actor, studyId, { intervalDays: raw === "" || raw === null ? null : raw });
    if (!next) return { ok: true, message: "Scheduled reminders are off." };
    try {
      await scheduleReminderJob(await getBoss(), studyId, next);
    } catch (e) {
      logger.error({ err: e, studyId }, "reminder job not queued");
      return { ok: true, message: "Schedule saved; the workers queue it when they next start." };
    }
    return { ok: true, message: `Scheduled: the next reminder goes out ${next.toISOString().slice(0, 16)} UTC.` };
  });
}

export async function inviteAction(studyId: string, _prev: StudyFormState, form: FormData): Promise<StudyFormState> {
  return studyAction(studyId, async (actorId) => {
    const { invitation, reader, link } = await createInvitation(
      studyId,
      { email: form.get("email"), name: form.get("name"), specialty: form.get("specialty") },
      actorId,
    );
    const email = (await emailInvitation(invitation.id, link, actorId)) ?? undefined;
    return {
      ok: true,
      message: `Invitation for ${reader.email} created. Copy the link now: it is shown only once.`,
      link,
      email,
    };
  });
}

export async function reissueAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  return studyInvitationAction(studyId, invitationId, async (actorId) => {
    const { link } = await reissueInvitation(invitationId, actorId);
    const email = (await emailInvitation(invitationId, link, actorId)) ?? undefined;
    // The re-issue button shows only the message, so the email outcome goes into it.
    const emailNote = email ? ` ${emailOutcomeMessage(email)}` : "";
    return {
      ok: true,
      message: `New link (the old one no longer works). Copy it now: it is shown only once.${emailNote}`,
      link,
      email,
    };
  });
}

export async function revokeAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  return studyInvitationAction(studyId, invitationId, async (actorId) => {
    await revokeInvitation(invitationId, actorId);
    return { ok: true, message: "Revoked: the reader can no longer open the study." };
  });
}

export async function reentryLinkAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  return studyInvitationAction(studyId, invitationId, async (actorId) => {
    const { link } = await issueReentryLink(studyId, invitationId, actorId);
    return {
      ok: true,
      message: "Re-entry link for this reader (any earlier one no longer works). Copy it now: it is shown only once.",
      link,
    };
  });
}

export async function revokeReentryAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  return studyInvitationAction(studyId, invitationId, async (actorId) => {
    await revokeReentryLinks(studyId, invitationId, actorId);
    return { ok: true, message: "Re-entry link revoked." };
  });
}
