"use server";
// Coordinator mutations. Each action re-checks the role and that the user may manage the study: a server
// action is a public POST endpoint whatever the page that rendered it.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { HttpError } from "@/lib/http/http-error";
import {
  closeStudy, createDraftStudy, deleteDraftStudy, draftInputFromForm, manageableStudy, publishStudy, settingsFromForm,
  StudyInputError, updateStudySettings, type MissingHeatmap,
} from "@/lib/studies/study-builder";
import { createInvitation, existingInvitationOf, reissueInvitation, revokeInvitation, type ExistingInvitation } from "@/lib/studies/invitations";
import { issueReentryLink, revokeReentryLinks } from "@/lib/studies/invitations-reentry";
import { DomainError } from "@/lib/errors/domain-error";
import { db } from "@/lib/db/client";
import { emailInvitation } from "@/lib/mail/email-invitation";
import { emailOutcomeMessage, type EmailOutcome } from "@/lib/mail/email-outcome";
import { ZodError } from "zod";

export interface FormState {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
  missing?: MissingHeatmap[];
  /** An invitation or re-entry link, shown once. */
  link?: string;
  /** The study's invitation for an email that was invited again: shown instead of issuing anything. */
  existing?: ExistingInvitation;
  /** What happened to the invitation email; absent when mail is off (no FOCUS_SMTP_URL). */
  email?: EmailOutcome;
}

function failure(e: unknown): FormState {
  if (e instanceof StudyInputError) return { ok: false, message: e.message, fieldErrors: e.fieldErrors, missing: e.missing.slice(0, 200) };
  if (e instanceof ZodError) {
    const fieldErrors = Object.fromEntries(e.issues.map((i) => [i.path.join("."), i.message]));
    return { ok: false, message: "Fix the highlighted fields; nothing was saved.", fieldErrors };
  }
  if (e instanceof HttpError) return { ok: false, message: e.message };
  if (e instanceof DomainError) return { ok: false, message: e.message, existing: existingInvitationOf(e) ?? undefined };
  throw e;
}

async function staffFor(studyId: string) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  await manageableStudy(user, studyId);
  return user;
}

export async function createStudyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireRole("COORDINATOR", "ADMIN");
  let id: string;
  try {
    ({ id } = await createDraftStudy(draftInputFromForm(form), user.id));
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/coordinator");
  redirect(`/coordinator/studies/${id}`);
}

/** Runs a change to a study the user may manage, then refreshes its page with `message`. */
async function studyChange(studyId: string, change: (actorId: string) => Promise<unknown>, message: string): Promise<FormState> {
  try {
    const user = await staffFor(studyId);
    await change(user.id);
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/coordinator/studies/${studyId}`);
  return { ok: true, message };
}

export async function updateSettingsAction(studyId: string, _prev: FormState, form: FormData): Promise<FormState> {
  return studyChange(studyId, (actorId) => updateStudySettings(studyId, settingsFromForm(form), actorId), "Settings saved.");
}

export async function publishAction(studyId: string, _prev: FormState): Promise<FormState> {
  return studyChange(studyId, (actorId) => publishStudy(studyId, actorId), "Published: invited readers can now answer.");
}

export async function closeAction(studyId: string, _prev: FormState): Promise<FormState> {
  return studyChange(studyId, (actorId) => closeStudy(studyId, actorId), "Closed: answers are final.");
}

export async function deleteDraftAction(studyId: string, _prev: FormState): Promise<FormState> {
  try {
    const user = await staffFor(studyId);
    await deleteDraftStudy(studyId, user.id);
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/coordinator");
  redirect("/coordinator");
}

export async function inviteAction(studyId: string, _prev: FormState, form: FormData): Promise<FormState> {
  try {
    const user = await staffFor(studyId);
    const { invitation, reader, link } = await createInvitation(
      studyId,
      { email: form.get("email"), name: form.get("name"), specialty: form.get("specialty") },
      user.id,
    );
    const email = (await emailInvitation(invitation.id, link, user.id)) ?? undefined;
    revalidatePath(`/coordinator/studies/${studyId}`);
    return { ok: true, message: `Invitation for ${reader.email} created. Copy the link now: it is shown only once.`, link, email };
  } catch (e) {
    return failure(e);
  }
}

async function invitationOfStudy(studyId: string, invitationId: string) {
  const inv = await db().invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
}

export async function reissueAction(studyId: string, invitationId: string, _prev: FormState): Promise<FormState> {
  try {
    const user = await staffFor(studyId);
    await invitationOfStudy(studyId, invitationId);
    const { link } = await reissueInvitation(invitationId, user.id);
    const email = (await emailInvitation(invitationId, link, user.id)) ?? undefined;
    revalidatePath(`/coordinator/studies/${studyId}`);
    // The re-issue button shows only the message, so the email outcome goes into it.
    const emailNote = email ? ` ${emailOutcomeMessage(email)}` : "";
    return { ok: true, message: `New link (the old one no longer works). Copy it now: it is shown only once.${emailNote}`, link, email };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeAction(studyId: string, invitationId: string, _prev: FormState): Promise<FormState> {
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

export async function reentryLinkAction(studyId: string, invitationId: string, _prev: FormState): Promise<FormState> {
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

export async function revokeReentryAction(studyId: string, invitationId: string, _prev: FormState): Promise<FormState> {
  try {
    const user = await staffFor(studyId);
    await revokeReentryLinks(studyId, invitationId, user.id);
    revalidatePath(`/coordinator/studies/${studyId}`);
    return { ok: true, message: "Re-entry link revoked." };
  } catch (e) {
    return failure(e);
  }
}
