// The two ways into Focus, as plain functions so they can be tested without next-auth:
// staff with email + password, specialists with a single-use invitation token.
import { z } from "zod";
import { text } from "../validation/text";
import { db } from "../db/client";
import { hashPassword, verifyPassword, verifyAgainstDummy } from "./password";
import { claimAttempt, clearAttempts, clientKeys, staffSignInKeys } from "./rate-limit";
import { hashInvitationToken, INVITATION_TOKEN_PATTERN } from "./invitation-token";
import type { Role } from "../db/generated/enums";
import { claimReentryToken } from "../studies/invitations-reentry";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
  /** For specialists: the invitation the session was started from; it grants that invitation's study only. */
  invitationId?: string;
  invitationSessionVersion?: number;
}

export const staffCredentialsSchema = z.object({
  email: text().trim().toLowerCase().email("Enter a valid email address"),
  password: text().min(1, "Enter your password").max(200),
});

export type StaffSignInResult =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; retryAfterS: number };

export async function signInStaff(input: unknown, clientKey: string | null): Promise<StaffSignInResult> {
  const parsed = staffCredentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  // Claimed before the password is checked, for unknown emails too (a refusal must not reveal accounts).
  const keys = staffSignInKeys(email, clientKey);
  const claim = await claimAttempt(keys);
  if (!claim.ok) return { ok: false, reason: "rate-limited", retryAfterS: Math.ceil(claim.retryAfterMs / 1000) };
  const user = await db().user.findUnique({ where: { email } });
  const check =
    user && user.active && user.role !== "SPECIALIST" && user.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : { ok: await verifyAgainstDummy(password), needsRehash: false };
  if (!check.ok || !user) return { ok: false, reason: "invalid" };
  await clearAttempts(keys);
  if (check.needsRehash) await upgradeHash(user.id, user.passwordHash!, password);
  const { id, name, role, sessionVersion } = user;
  return { ok: true, user: { id, email: user.email, name, role, sessionVersion } };
}

// Replaces a bcrypt (or older argon2) hash once the password is known. Conditional on the old hash, so a
// password changed in the meantime is never overwritten with the one just typed.
async function upgradeHash(userId: string, oldHash: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, passwordHash: oldHash },
      data: { passwordHash },
    });
    if (count === 1)
      await tx.auditEvent.create({ data: { actorId: userId, action: "user.password-rehashed", subject: userId } });
  });
}

export type InvitationSignInResult =
  | { ok: true; user: AuthUser; studyId: string }
  | { ok: false; reason: "invalid" | "used" | "expired" | "revoked" | "rate-limited" };

/** Consumes the invitation atomically: of two concurrent uses of one link, exactly one wins. */
export async function signInWithInvitation(
  token: unknown,
  clientKey: string | null,
  now = new Date(),
): Promise<InvitationSignInResult> {
  const keys = clientKeys(clientKey);
  if (!(await claimAttempt(keys)).ok) return { ok: false, reason: "rate-limited" };
  if (typeof token !== "string" || !INVITATION_TOKEN_PATTERN.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = hashInvitationToken(token);
  const claimed = await db().invitation.updateMany({
    where: { tokenHash, usedAt: null, status: "PENDING", expiresAt: { gt: now }, reader: { active: true } },
    data: { usedAt: now, status: "ACCEPTED", lastActiveAt: now },
  });
  const invitation = await db().invitation.findUnique({ where: { tokenHash }, include: { reader: true } });
  if (claimed.count !== 1 || !invitation) {
    if (!invitation) return { ok: false, reason: "invalid" };
    if (invitation.status === "REVOKED") return { ok: false, reason: "revoked" };
    if (invitation.usedAt) return { ok: false, reason: "used" };
    if (invitation.expiresAt <= now) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
  await clearAttempts(keys);
  return { ok: true, user: readerSessionUser(invitation), studyId: invitation.studyId };
}

interface SignedInInvitation {
  id: string;
  readerName: string;
  sessionVersion: number;
  reader: { id: string; email: string; role: AuthUser["role"]; sessionVersion: number };
}

/** The session of a reader is bound to one invitation: its name there, and both revocation counters. */
function readerSessionUser(invitation: SignedInInvitation): AuthUser {
  const r = invitation.reader;
  return {
    id: r.id,
    email: r.email,
    name: invitation.readerName,
    role: r.role,
    sessionVersion: r.sessionVersion,
    invitationId: invitation.id,
    invitationSessionVersion: invitation.sessionVersion,
  };
}

/** A re-entry link (copied by the coordinator) or an emailed sign-in link: back into its invitation only. */
export async function signInWithReentry(
  token: unknown,
  clientKey: string | null,
  now = new Date(),
): Promise<InvitationSignInResult> {
  const keys = clientKeys(clientKey);
  if (!(await claimAttempt(keys)).ok) return { ok: false, reason: "rate-limited" };
  if (typeof token !== "string" || !INVITATION_TOKEN_PATTERN.test(token)) return { ok: false, reason: "invalid" };
  const claimed = await claimReentryToken(token, now);
  if (!claimed.ok) return claimed;
  await clearAttempts(keys);
  const invitation = await db().invitation.findUniqueOrThrow({
    where: { id: claimed.invitationId },
    select: {
      id: true,
      readerName: true,
      sessionVersion: true,
      reader: { select: { id: true, email: true, role: true, sessionVersion: true } },
    },
  });
  return { ok: true, user: readerSessionUser(invitation), studyId: claimed.studyId };
}
