// Inviting readers to a study. Each invitation fixes the reader's index in the balanced slot
// design (lib/blinding), given in enrolment order so the design's balance holds.
//
// Trust: a reader's account (one per email) is shared by every study that invites that email, so an
// invite never edits it. The name and specialty a coordinator enters live on their own invitation, and a
// session started from an invitation grants that invitation's study only (lib/auth/session.ts).
import { db, type Prisma } from "../db/client";
import { envVar } from "../config/env";
import { newInvitationToken } from "../auth/invitation-token";
import { specialistInputSchema, type SpecialistInput } from "../users/user-input";
import { newPseudonym } from "../users/pseudonym";
import { recordAudit } from "../audit/audit";
import { DomainError } from "../errors/domain-error";
import { parseInput } from "../errors/field-errors";
import { readSettings, type StudySettings } from "./study-settings";
import { seededCaseOrder, seededRepeatOrder } from "./case-order";
import { ARCHIVED_MESSAGE, assertNotArchived } from "./study-access";

export function invitationLink(token: string, baseUrl = envVar("NEXTAUTH_URL") ?? "http://localhost:3000"): string {
  return `${baseUrl.replace(/\/$/, "")}/invite/${token}`;
}

/** When a link issued now stops working, by the study's own setting (study-settings.ts owns its limits). */
export function invitationExpiry(settings: Pick<StudySettings, "invitationExpiryDays">, now = new Date()): Date {
  return new Date(now.getTime() + settings.invitationExpiryDays * 24 * 3600_000);
}

/** The expiry setting of the study an invitation belongs to. */
export async function studyExpirySettings(tx: Pick<Tx, "study">, studyId: string) {
  const study = await tx.study.findUnique({ where: { id: studyId }, select: { settings: true } });
  if (!study) throw DomainError.notFound("No such study.");
  return readSettings(study.settings);
}

/** What a coordinator is shown when they invite an email that their study already has. */
export interface ExistingInvitation {
  invitationId: string;
  email: string;
  readerName: string;
  status: "PENDING" | "ACCEPTED" | "REVOKED";
  linkUsed: boolean;
  expiresAt: string;
}

export const DEACTIVATED_READER_MESSAGE =
  "This reader's account was deactivated by an administrator, so it cannot be invited. Ask an administrator " +
  "to reactivate it if the reader should take part again.";

type Tx = Prisma.TransactionClient;

/** The specialist account behind an email, created on first invitation and never changed by later ones. */
async function specialistFor(tx: Tx, data: SpecialistInput) {
  const existing = await tx.user.findUnique({ where: { email: data.email } });
  if (existing) {
    if (existing.role !== "SPECIALIST")
      throw DomainError.conflict(`${data.email} belongs to a staff account; use another address.`);
    return existing;
  }
  // `update: {}`: a concurrent first invitation of the same email (another study) wins the insert, and
  // this one uses that account as it is.
  return tx.user.upsert({
    where: { email: data.email },
    create: {
      email: data.email,
      name: data.name,
      specialty: data.specialty,
      role: "SPECIALIST",
      pseudonym: newPseudonym("R"),
    },
    update: {},
  });
}

/**
 * Invites a specialist; returns the link, which is shown once and never stored. An email that already has an
 * invitation to this study is refused with a conflict whose details describe that invitation (nothing is
 * re-issued or un-revoked); a deactivated account is refused, and the refusal is audited.
 */
export async function createInvitation(studyId: string, input: unknown, actorId: string) {
  const data = parseInput(specialistInputSchema, input, "Fix the highlighted fields; nothing was saved.");
  const { token, tokenHash } = newInvitationToken();
  const outcome = await db().$transaction(async (tx) => {
    // Serialise invitations per study: the row lock makes concurrent invites queue for the next reader index.
    const locked = await tx.$queryRaw<
      { status: string; settings: unknown; designSeed: string; archivedAt: Date | null }[]
    >`select status::text, settings, "designSeed", "archivedAt" from "Study" where id = ${studyId} for update`;
    if (locked.length === 0) throw DomainError.notFound("No such study.");
    if (locked[0].archivedAt) throw DomainError.conflict(ARCHIVED_MESSAGE);
    if (locked[0].status === "CLOSED")
      throw DomainError.conflict("The study is closed; readers can no longer be invited.");
    const reader = await specialistFor(tx, data);
    if (!reader.active) {
      await recordAudit(actorId, "invitation.refused", studyId, { readerId: reader.id, reason: "deactivated" }, tx);
      return { kind: "refused" as const };
    }
    const existing = await tx.invitation.findUnique({ where: { studyId_readerId: { studyId, readerId: reader.id } } });
    if (existing) {
      const summary: ExistingInvitation = {
        invitationId: existing.id,
        email: reader.email,
        readerName: existing.readerName,
        status: existing.status,
        linkUsed: existing.usedAt !== null,
        expiresAt: existing.expiresAt.toISOString(),
      };
      return { kind: "existing" as const, summary };
    }
    const readerIndex = await tx.invitation.count({ where: { studyId } });
    const caseCount = await tx.studyCase.count({ where: { studyId } });
    const invitation = await tx.invitation.create({
      data: {
        studyId,
        readerId: reader.id,
        invitedById: actorId,
        readerIndex,
        tokenHash,
        expiresAt: invitationExpiry(readSettings(locked[0].settings)),
        readerName: data.name,
        specialty: data.specialty,
        // Stored whatever the study's case-order setting says, so switching a draft to random later still works.
        caseOrder: seededCaseOrder(locked[0].designSeed, readerIndex, caseCount),
        // Likewise whatever the number of repeated cases: the reader repeats the first k of it.
        repeatOrder: seededRepeatOrder(locked[0].designSeed, readerIndex, caseCount),
      },
    });
    await recordAudit(actorId, "invitation.issue", invitation.id, { studyId, readerId: reader.id }, tx);
    return { kind: "created" as const, invitation, reader };
  });
  if (outcome.kind === "refused") throw DomainError.conflict(DEACTIVATED_READER_MESSAGE);
  if (outcome.kind === "existing") {
    throw DomainError.conflict(`${outcome.summary.email} is already invited to this study.`, {
      existingInvitation: outcome.summary,
    });
  }
  return { invitation: outcome.invitation, reader: outcome.reader, link: invitationLink(token) };
}

export function existingInvitationOf(e: unknown): ExistingInvitation | null {
  if (!(e instanceof DomainError) || e.kind !== "conflict") return null;
  const details = e.details as { existingInvitation?: ExistingInvitation } | undefined;
  return details?.existingInvitation ?? null;
}

/** A new single-use link for a live invitation (the old link stops working). A revoked invitation stays revoked. */
export async function reissueInvitation(invitationId: string, actorId: string) {
  const { token, tokenHash } = newInvitationToken();
  const invitation = await db().$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
    if (!row) throw DomainError.notFound("No such invitation.");
    await assertNotArchived(tx, row.studyId);
    const settings = await studyExpirySettings(tx, row.studyId);
    const changed = await tx.invitation.updateMany({
      where: { id: invitationId, status: { not: "REVOKED" } },
      data: { tokenHash, expiresAt: invitationExpiry(settings), usedAt: null, status: "PENDING" },
    });
    if (changed.count !== 1) {
      throw DomainError.conflict("This invitation was revoked; a revoked invitation is not re-issued.");
    }
    await recordAudit(actorId, "invitation.reissue", invitationId, {}, tx);
    return tx.invitation.findUniqueOrThrow({ where: { id: invitationId } });
  });
  return { invitation, link: invitationLink(token) };
}

export async function revokeInvitation(invitationId: string, actorId: string) {
  return db().$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
    if (!row) throw DomainError.notFound("No such invitation.");
    await assertNotArchived(tx, row.studyId);
    const invitation = await tx.invitation.update({ where: { id: invitationId }, data: { status: "REVOKED" } });
    await tx.reentryToken.updateMany({ where: { invitationId, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(actorId, "invitation.revoke", invitationId, {}, tx);
    return invitation;
  });
}
