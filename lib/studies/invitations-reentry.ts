// Ways back into one invitation for a reader who signed out, changed device or whose session expired. The
// single-use invitation link cannot serve: it is spent on first use. Neither way creates an account or
// touches answers; both sign in to the invitation they were made for, and only to its study.
// - A re-entry link the study's coordinator copies for an invitation: works until revoked, replaced by a new
//   one, the invitation is revoked or it expires.
// - A sign-in link emailed to the reader on request (mail configured): works once, for a short time.
import { db } from "../db/client";
import { hashInvitationToken, newInvitationToken } from "../auth/invitation-token";
import { invitationExpiry, studyExpirySettings } from "./invitations";
import { assertNotArchived } from "./study-access";
import { recordAudit } from "../audit/audit";
import { DomainError } from "../errors/domain-error";
import { emailSchema } from "../users/user-input";
import { sendComposedEmail, type SendResult } from "../mail/send-invitation";
import { composeMessage, formatExpiry } from "../mail/compose-message";
import { mailConfig } from "../mail/mail-config";
import { logger } from "../logging/logger";
import { envVar } from "../config/env";

export const EMAIL_LINK_TTL_MS = 30 * 60_000;
/** Email links per invitation in an EMAIL_LINK_TTL_MS window: enough for a typo'd spam folder, not a mail bomb. */
export const EMAIL_LINKS_PER_WINDOW = 3;

export function reentryLink(token: string, baseUrl = envVar("NEXTAUTH_URL") ?? "http://localhost:3000"): string {
  return `${baseUrl.replace(/\/$/, "")}/reenter/${token}`;
}

async function liveInvitationOfStudy(studyId: string, invitationId: string) {
  const inv = await db().invitation.findUnique({
    where: { id: invitationId },
    select: { studyId: true, status: true },
  });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
  if (inv.status === "REVOKED") throw DomainError.conflict("This invitation was revoked; it has no re-entry link.");
  await assertNotArchived(db(), studyId);
}

/** A new re-entry link for the invitation, replacing any earlier one; shown once (only its hash is kept). */
export async function issueReentryLink(studyId: string, invitationId: string, actorId: string) {
  await liveInvitationOfStudy(studyId, invitationId);
  const { token, tokenHash } = newInvitationToken();
  const now = new Date();
  const expiresAt = invitationExpiry(await studyExpirySettings(db(), studyId), now);
  await db().$transaction(async (tx) => {
    await tx.reentryToken.updateMany({
      where: { invitationId, kind: "COORDINATOR_LINK", revokedAt: null },
      data: { revokedAt: now },
    });
    await tx.reentryToken.create({
      data: { invitationId, kind: "COORDINATOR_LINK", tokenHash, expiresAt, createdById: actorId },
    });
    await recordAudit(actorId, "invitation.reentry.issue", invitationId, { studyId }, tx);
  });
  return { link: reentryLink(token), expiresAt };
}

export async function revokeReentryLinks(studyId: string, invitationId: string, actorId: string) {
  const inv = await db().invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
  await assertNotArchived(db(), studyId);
  return db().$transaction(async (tx) => {
    const { count } = await tx.reentryToken.updateMany({
      where: { invitationId, kind: "COORDINATOR_LINK", revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(actorId, "invitation.reentry.revoke", invitationId, { studyId, revoked: count }, tx);
    return { revoked: count };
  });
}

/** Per invitation: when its live re-entry link (if any) was issued and until when it works. */
export async function liveReentryLinks(
  studyId: string,
  now = new Date(),
): Promise<Map<string, { issuedAt: Date; expiresAt: Date }>> {
  const rows = await db().reentryToken.findMany({
    where: { kind: "COORDINATOR_LINK", revokedAt: null, expiresAt: { gt: now }, invitation: { studyId } },
    select: { invitationId: true, createdAt: true, expiresAt: true },
  });
  return new Map(rows.map((r) => [r.invitationId, { issuedAt: r.createdAt, expiresAt: r.expiresAt }]));
}

export type ReentrySignInResult =
  | { ok: true; readerId: string; invitationId: string; studyId: string }
  | { ok: false; reason: "invalid" | "used" | "expired" | "revoked" };

/**
 * Signs in with a re-entry or emailed link. The claim is one conditional update, so an emailed link used twice
 * at once still works once. The use is audited in the same transaction.
 */
export async function claimReentryToken(token: string, now = new Date()): Promise<ReentrySignInResult> {
  const tokenHash = hashInvitationToken(token);
  return db().$transaction(async (tx) => {
    const claimed = await tx.reentryToken.updateMany({
      where: {
        tokenHash,
        revokedAt: null,
        expiresAt: { gt: now },
        OR: [{ kind: "COORDINATOR_LINK" }, { kind: "EMAIL_LINK", usedAt: null }],
        invitation: { status: { not: "REVOKED" }, reader: { active: true } },
      },
      data: { usedAt: now },
    });
    const row = await tx.reentryToken.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        kind: true,
        expiresAt: true,
        usedAt: true,
        revokedAt: true,
        invitation: { select: { id: true, studyId: true, readerId: true, status: true, usedAt: true } },
      },
    });
    if (!row) return { ok: false, reason: "invalid" } as const;
    if (claimed.count !== 1) {
      if (row.revokedAt || row.invitation.status === "REVOKED") return { ok: false, reason: "revoked" } as const;
      if (row.expiresAt <= now) return { ok: false, reason: "expired" } as const;
      if (row.kind === "EMAIL_LINK" && row.usedAt) return { ok: false, reason: "used" } as const;
      return { ok: false, reason: "invalid" } as const;
    }
    const inv = row.invitation;
    // Coming back before ever opening the invitation link also accepts it (and spends that link).
    await tx.invitation.update({
      where: { id: inv.id },
      data: {
        lastActiveAt: now,
        ...(inv.status === "PENDING" ? { status: "ACCEPTED", usedAt: inv.usedAt ?? now } : {}),
      },
    });
    await recordAudit(inv.readerId, "invitation.reentry.use", inv.id, { kind: row.kind }, tx);
    return { ok: true, readerId: inv.readerId, invitationId: inv.id, studyId: inv.studyId } as const;
  });
}

export function mailEnabled(): boolean {
  try {
    return mailConfig() !== null;
  } catch {
    return false;
  }
}

function composeSignInLinks(links: { studyTitle: string; link: string }[], expiresAt: Date) {
  return composeMessage({
    subject: links.length === 1 ? `Your sign-in link for "${links[0].studyTitle}"` : "Your sign-in links for Focus",
    paragraphs: [
      ["You asked for a link to get back into your reader study."],
      ...links.map((l) => [`"${l.studyTitle}":`, { link: l.link }]),
      [
        `Each link works once, until ${formatExpiry(expiresAt)}. Your answers and drafts are kept.`,
        "If you did not ask for this, you can ignore this email.",
      ],
      ["Focus"],
    ],
  });
}

/**
 * Emails a single-use sign-in link for each live invitation of the address (open or closed studies). The caller
 * answers the same whatever happens, so the page cannot tell whether an address is invited anywhere.
 */
export async function requestEmailSignInLinks(
  rawEmail: unknown,
  now = new Date(),
): Promise<{ links: number; mail: SendResult | null }> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success)
    throw DomainError.invalid("Enter a valid email address.", [
      { field: "email", message: "Enter a valid email address" },
    ]);
  if (!mailEnabled()) return { links: 0, mail: null };
  const reader = await db().user.findUnique({
    where: { email: parsed.data },
    select: { id: true, role: true, active: true, email: true },
  });
  if (!reader || reader.role !== "SPECIALIST" || !reader.active) return { links: 0, mail: null };
  const invitations = await db().invitation.findMany({
    where: { readerId: reader.id, status: { not: "REVOKED" }, study: { status: { in: ["OPEN", "CLOSED"] } } },
    select: { id: true, readerName: true, study: { select: { title: true } } },
    orderBy: { createdAt: "asc" },
  });
  const expiresAt = new Date(now.getTime() + EMAIL_LINK_TTL_MS);
  const windowStart = new Date(now.getTime() - EMAIL_LINK_TTL_MS);
  const links: { studyTitle: string; link: string }[] = [];
  await db().$transaction(async (tx) => {
    for (const inv of invitations) {
      const recent = await tx.reentryToken.count({
        where: { invitationId: inv.id, kind: "EMAIL_LINK", createdAt: { gt: windowStart } },
      });
      if (recent >= EMAIL_LINKS_PER_WINDOW) continue;
      const { token, tokenHash } = newInvitationToken();
      await tx.reentryToken.create({ data: { invitationId: inv.id, kind: "EMAIL_LINK", tokenHash, expiresAt } });
      await recordAudit(reader.id, "invitation.reentry.email", inv.id, {}, tx);
      links.push({ studyTitle: inv.study.title, link: reentryLink(token) });
    }
  });
  if (links.length === 0) return { links: 0, mail: null };
  const name = invitations[0].readerName;
  const mail = await sendComposedEmail({ name, address: reader.email }, () => composeSignInLinks(links, expiresAt));
  if (!mail.sent) logger.error({ error: mail.error ?? "not sent" }, "sign-in link email failed");
  return { links: links.length, mail };
}
