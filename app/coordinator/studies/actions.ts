"use server";
// Coordinator mutations. Each action re-checks the role and that the user may manage the study: a server
// action is a public POST endpoint whatever the page that rendered it.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { toFormState, type FormState } from "@/lib/http/form-state";
import {
  closeStudy,
  createDraftStudy,
  deleteDraftStudy,
  missingHeatmapsOf,
  publishStudy,
  updateStudySettings,
} from "@/lib/studies/study-commands";
import { draftInputFromForm, settingsFromForm } from "@/lib/studies/study-form";
import { manageableStudy } from "@/lib/studies/study-access";
import { parseStudyDraft, parseStudySettings } from "@/lib/studies/study-schemas";
import { type MissingHeatmap } from "@/lib/studies/study-queries";
import {
  createInvitation,
  existingInvitationOf,
  reissueInvitation,
  revokeInvitation,
  type ExistingInvitation,
} from "@/lib/studies/invitations";
import { issueReentryLink, revokeReentryLinks } from "@/lib/studies/invitations-reentry";
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
}>;

function failure(e: unknown): StudyFormState {
  const state: StudyFormState = toFormState(e);
  const missing = isDomainError(e) ? missingHeatmapsOf(e) : [];
  if (missing.length > 0) return { ...state, missing: missing.slice(0, 200) };
  const existing = existingInvitationOf(e);
  return existing ? { ...state, existing } : state;
}

async function staffFor(studyId: string) {
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

/** Runs a change to a study the user may manage, then refreshes its page with `message`. */
async function studyChange(
  studyId: string,
  change: (actorId: string) => Promise<unknown>,
  message: string,
): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    await change(user.id);
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/coordinator/studies/${studyId}`);
  return { ok: true, message };
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

export async function inviteAction(studyId: string, _prev: StudyFormState, form: FormData): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    const { invitation, reader, link } = await createInvitation(
      studyId,
      { email: form.get("email"), name: form.get("name"), specialty: form.get("specialty") },
      user.id,
    );
    const email = (await emailInvitation(invitation.id, link, user.id)) ?? undefined;
    revalidatePath(`/coordinator/studies/${studyId}`);
    return {
      ok: true,
      message: `Invitation for ${reader.email} created. Copy the link now: it is shown only once.`,
      link,
      email,
    };
  } catch (e) {
    return failure(e);
  }
}

async function invitationOfStudy(studyId: string, invitationId: string) {
  const inv = await db().invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
}

export async function reissueAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    await invitationOfStudy(studyId, invitationId);
    const { link } = await reissueInvitation(invitationId, user.id);
    const email = (await emailInvitation(invitationId, link, user.id)) ?? undefined;
    revalidatePath(`/coordinator/studies/${studyId}`);
    // The re-issue button shows only the message, so the email outcome goes into it.
    const emailNote = email ? ` ${emailOutcomeMessage(email)}` : "";
    return {
      ok: true,
      message: `New link (the old one no longer works). Copy it now: it is shown only once.${emailNote}`,
      link,
      email,
    };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    await invitationOfStudy(studyId, invitationId);
    await revokeInvitation(invitationId, user.id);
    revalidatePath(`/coordinator/studies/${studyId}`);
    return { ok: true, message: "Revoked: the reader can no longer open the study." };
  } catch (e) {
    return failure(e);
  }
}

export async function reentryLinkAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    const { link } = await issueReentryLink(studyId, invitationId, user.id);
    revalidatePath(`/coordinator/studies/${studyId}`);
    return {
      ok: true,
      message: "Re-entry link for this reader (any earlier one no longer works). Copy it now: it is shown only once.",
      link,
    };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeReentryAction(
  studyId: string,
  invitationId: string,
  _prev: StudyFormState,
): Promise<StudyFormState> {
  try {
    const user = await staffFor(studyId);
    await revokeReentryLinks(studyId, invitationId, user.id);
    revalidatePath(`/coordinator/studies/${studyId}`);
    return { ok: true, message: "Re-entry link revoked." };
  } catch (e) {
    return failure(e);
  }
}
