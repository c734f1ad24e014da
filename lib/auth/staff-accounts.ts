// What staff and admins do with staff credentials: change one's own password, issue and redeem a one-time
// reset link, unlock a throttled sign-in. Each change of state ends the user's sessions where it should and
// writes its audit event in the same transaction.
import { z } from "zod";
import { db } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem, PASSWORD_MAX_LENGTH } from "./password-policy";
import { claimAttempt, clearAttempts, emailKey, staffSignInKeys } from "./rate-limit";
import { endUserSessions } from "./session-version";
// The same 256-bit random token and SHA-256-only storage as invitation links.
import {
  hashInvitationToken as hashToken,
  newInvitationToken as newToken,
  INVITATION_TOKEN_PATTERN,
} from "./invitation-token";

export const RESET_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const newPasswordFields = {
  // eslint-disable-next-line no-restricted-syntax -- a password is hashed, never stored as text
  password: z.string().max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`),
  // eslint-disable-next-line no-restricted-syntax -- a password is hashed, never stored as text
  confirm: z.string().max(PASSWORD_MAX_LENGTH),
};
const sameTwice = (v: { password: string; confirm: string }) => v.password === v.confirm;
const sameTwiceIssue = { message: "The two new passwords differ", path: ["confirm"] };

export const changePasswordSchema = z
  // eslint-disable-next-line no-restricted-syntax -- a password is hashed, never stored as text
  .object({ current: z.string().min(1, "Enter your current password").max(PASSWORD_MAX_LENGTH), ...newPasswordFields })
  .refine(sameTwice, sameTwiceIssue);
export const resetPasswordSchema = z.object(newPasswordFields).refine(sameTwice, sameTwiceIssue);
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

function requireGoodPassword(password: string, user: { email: string; name: string }): void {
  const problem = passwordProblem(password, [user.email, user.name]);
  if (problem) throw DomainError.invalid(problem, [{ field: "password", message: problem }]);
}

/** Ends every session of the user, the current one included: they sign in again with the new password. */
export async function changeOwnPassword(
  userId: string,
  input: ChangePasswordInput,
  clientKey: string | null,
): Promise<void> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user || !user.active || user.role === "SPECIALIST" || !user.passwordHash) {
    throw DomainError.forbidden("Only staff accounts have a password.");
  }
  // The current password is a sign-in secret: a stolen session must not be able to guess it at speed.
  const keys = staffSignInKeys(user.email, clientKey);
  const claim = await claimAttempt(keys);
  if (!claim.ok) {
    throw new DomainError(
      "rate-limited",
      `Too many wrong passwords. Try again in ${Math.ceil(claim.retryAfterMs / 1000)} seconds.`,
    );
  }
  if (!(await verifyPassword(input.current, user.passwordHash)).ok) {
    throw DomainError.invalid("Your current password is not right.", [{ field: "current", message: "Not right" }]);
  }
  await clearAttempts(keys);
  requireGoodPassword(input.password, user);
  if (input.password === input.current) {
    throw DomainError.invalid("Choose a new password.", [{ field: "password", message: "Same as the current one" }]);
  }
  const passwordHash = await hashPassword(input.password);
  await db().$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, passwordHash: user.passwordHash },
      data: { passwordHash },
    });
    if (count !== 1) throw DomainError.conflict("Your password was changed meanwhile; sign in again.");
    await tx.auditEvent.create({ data: { actorId: userId, action: "user.password-changed", subject: userId } });
    await endUserSessions(tx, userId, "password-changed", userId);
  });
}

/** A new link replaces any unused one. The token is returned once and never stored. */
export async function issuePasswordReset(userId: string, actorId: string, now = new Date()) {
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
  const user = await db().$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id: userId } });
    if (!u) throw DomainError.notFound("No such user.");
    if (u.role === "SPECIALIST")
      throw DomainError.invalid("Specialists sign in with invitation links, not a password.");
    if (!u.active) throw DomainError.conflict("Reactivate the account before issuing a reset link.");
    await tx.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    await tx.passwordReset.create({ data: { userId, tokenHash, expiresAt, createdById: actorId } });
    await tx.auditEvent.create({
      data: { actorId, action: "user.password-reset-issued", subject: userId, details: { expiresAt } },
    });
    return u;
  });
  return { token, expiresAt, email: user.email };
}

export function passwordResetLink(
  token: string,
  baseUrl = process.env.NEXTAUTH_URL ?? "http://localhost:3000",
): string {
  return `${baseUrl.replace(/\/$/, "")}/reset/${token}`;
}

async function liveReset(token: unknown, now: Date) {
  if (typeof token !== "string" || !INVITATION_TOKEN_PATTERN.test(token)) return null;
  const reset = await db().passwordReset.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: true },
  });
  if (!reset || reset.usedAt || reset.expiresAt <= now || !reset.user.active) return null;
  return reset;
}

/** For the reset page: whom the link is for, or null when it cannot be used (unknown, used, expired). */
export async function passwordResetFor(token: unknown, now = new Date()): Promise<{ email: string } | null> {
  const reset = await liveReset(token, now);
  return reset && { email: reset.user.email };
}

/** Sets the password, uses up the link (of two concurrent uses one wins), ends sessions, lifts the throttle. */
export async function resetPassword(
  token: unknown,
  input: ResetPasswordInput,
  now = new Date(),
): Promise<{ email: string }> {
  const reset = await liveReset(token, now);
  if (!reset)
    throw new DomainError(
      "gone",
      "This reset link has expired or was already used. Ask an administrator for a new one.",
    );
  requireGoodPassword(input.password, reset.user);
  const passwordHash = await hashPassword(input.password);
  await db().$transaction(async (tx) => {
    const claimed = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw new DomainError("gone", "This reset link was already used.");
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await tx.signInThrottle.deleteMany({ where: throttleRowsOf(reset.user.email) });
    await tx.auditEvent.create({
      data: {
        actorId: reset.userId,
        action: "user.password-reset",
        subject: reset.userId,
        details: { resetId: reset.id },
      },
    });
    await endUserSessions(tx, reset.userId, "password-reset", reset.userId);
  });
  return { email: reset.user.email };
}

const throttleRowsOf = (email: string) => ({
  OR: [{ key: emailKey(email) }, { key: { startsWith: `${emailKey(email)}|ip:` } }],
});

/** Lifts every sign-in wait on the account's email (per email and per client). */
export async function unlockSignIn(userId: string, actorId: string): Promise<{ cleared: number }> {
  return db().$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id: userId } });
    if (!u) throw DomainError.notFound("No such user.");
    const { count } = await tx.signInThrottle.deleteMany({ where: throttleRowsOf(u.email) });
    await tx.auditEvent.create({
      data: { actorId, action: "user.sign-in-unlocked", subject: userId, details: { cleared: count } },
    });
    return { cleared: count };
  });
}
