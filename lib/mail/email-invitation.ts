// Emails a freshly issued invitation link and records the outcome in the audit log. Used by the coordinator's
// invite and re-issue actions right after the link is created; the link itself is never stored.
import { db } from "../db/client";
import { recordAudit } from "../audit/audit";
import { sendInvitationEmail } from "./send-invitation";
import { mailConfig } from "./mail-config";
import type { EmailOutcome } from "./email-outcome";
import { logger } from "../logging/logger";

function mailIsOff(): boolean {
  try {
    return mailConfig() === null;
  } catch {
    return false; // malformed settings: go on, so the coordinator sees why no email went out
  }
}

/**
 * Returns null when mail is off (FOCUS_SMTP_URL unset); otherwise what happened, also written to the audit
 * log. Never throws: the invitation already exists and its link must reach the coordinator regardless.
 */
export async function emailInvitation(
  invitationId: string,
  link: string,
  actorId: string,
): Promise<EmailOutcome | null> {
  if (mailIsOff()) return null;
  let outcome: EmailOutcome;
  try {
    const invitation = await db().invitation.findUnique({
      where: { id: invitationId },
      select: {
        expiresAt: true,
        readerName: true,
        reader: { select: { email: true } },
        study: { select: { title: true } },
      },
    });
    if (!invitation) return null;
    const result = await sendInvitationEmail({
      to: invitation.reader.email,
      readerName: invitation.readerName,
      studyTitle: invitation.study.title,
      link,
      expiresAt: invitation.expiresAt,
    });
    outcome = { to: invitation.reader.email, ...result };
  } catch (e) {
    logger.error({ err: e, invitationId }, "invitation email: the invitation could not be loaded");
    return {
      to: "the reader",
      sent: false,
      error: "The invitation could not be loaded for the email (see the server log).",
    };
  }
  const details = outcome.error ? { sent: outcome.sent, error: outcome.error } : { sent: outcome.sent };
  // A lost audit row must not turn a delivered email into a reported failure.
  await recordAudit(actorId, "invitation.email", invitationId, details).catch((e: unknown) =>
    logger.error({ err: e, invitationId }, "audit invitation.email failed"),
  );
  return outcome;
}
