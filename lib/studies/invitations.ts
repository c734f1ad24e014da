// Inviting readers to a study. Each invitation fixes the reader's index in the balanced slot
// design (lib/blinding), given in enrolment order so the design's balance holds.
import { db } from "../db/client";
import { env } from "../config/env";
import { newInvitationToken } from "../auth/invitation-token";
import { upsertSpecialist } from "../users/users";
import { recordAudit } from "../audit/audit";
import { HttpError } from "../http/http-error";

export function invitationLink(token: string, baseUrl = process.env.NEXTAUTH_URL ?? "http://localhost:3000"): string {
  return `${baseUrl.replace(/\/$/, "")}/invite/${token}`;
}

function expiry(now = new Date()): Date {
  return new Date(now.getTime() + env().FOCUS_INVITE_TTL_HOURS * 3600_000);
}

/** Invites (or re-invites) a specialist; returns the link, which is shown once and never stored. */
export async function createInvitation(studyId: string, reader: unknown, actorId: string) {
  const study = await db().study.findUnique({ where: { id: studyId }, select: { status: true } });
  if (!study) throw new HttpError(404, "No such study.");
  if (study.status === "CLOSED") throw new HttpError(409, "The study is closed; readers can no longer be invited.");
  const user = await upsertSpecialist(reader);
  const { token, tokenHash } = newInvitationToken();
  const invitation = await db().$transaction(async (tx) => {
    const existing = await tx.invitation.findUnique({ where: { studyId_readerId: { studyId, readerId: user.id } } });
    if (existing) {
      return tx.invitation.update({
        where: { id: existing.id },
        data: { tokenHash, expiresAt: expiry(), usedAt: null, status: "PENDING" },
      });
    }
    // Serialise index allocation per study: the row lock on the study makes concurrent invites queue.
    await tx.$executeRaw`select id from "Study" where id = ${studyId} for update`;
    const readerIndex = await tx.invitation.count({ where: { studyId } });
    return tx.invitation.create({
      data: { studyId, readerId: user.id, invitedById: actorId, readerIndex, tokenHash, expiresAt: expiry() },
    });
  });
  await recordAudit(actorId, "invitation.issue", invitation.id, { studyId, readerId: user.id });
  return { invitation, reader: user, link: invitationLink(token) };
}

export async function reissueInvitation(invitationId: string, actorId: string) {
  const { token, tokenHash } = newInvitationToken();
  const invitation = await db().invitation
    .update({ where: { id: invitationId }, data: { tokenHash, expiresAt: expiry(), usedAt: null, status: "PENDING" } })
    .catch(() => null);
  if (!invitation) throw new HttpError(404, "No such invitation.");
  await recordAudit(actorId, "invitation.reissue", invitationId);
  return { invitation, link: invitationLink(token) };
}

export async function revokeInvitation(invitationId: string, actorId: string) {
  const invitation = await db().invitation.update({ where: { id: invitationId }, data: { status: "REVOKED" } }).catch(() => null);
  if (!invitation) throw new HttpError(404, "No such invitation.");
  await recordAudit(actorId, "invitation.revoke", invitationId);
  return invitation;
}
