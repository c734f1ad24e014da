// Sessions are stateless JWTs, so ending one early needs state elsewhere: the principal a session belongs
// to (a user today; any row with a sessionVersion column works the same way) carries a version, each token
// carries the version it was issued under, and a token is honoured only while the two are equal.
// Raising the version ends every session issued before, at the next request.
import type { Prisma } from "../db/generated/client";

export interface VersionedPrincipal {
  sessionVersion: number;
}

/** A token without a version (issued before versions existed, or forged without one) is never current. */
export function isSessionCurrent(tokenVersion: number | null | undefined, principal: VersionedPrincipal): boolean {
  return typeof tokenVersion === "number" && tokenVersion === principal.sessionVersion;
}

export type EndSessionsReason = "sign-out" | "deactivated" | "password-changed" | "password-reset";

/**
 * Ends every session of a user, with its audit event, inside the caller's transaction. With `onlyIfVersion`
 * nothing happens unless the stored version still equals it (a sign-out with an already revoked token is a no-op).
 */
export async function endUserSessions(
  tx: Prisma.TransactionClient,
  userId: string,
  reason: EndSessionsReason,
  actorId: string | null,
  onlyIfVersion?: number,
): Promise<boolean> {
  const where = onlyIfVersion === undefined ? { id: userId } : { id: userId, sessionVersion: onlyIfVersion };
  const { count } = await tx.user.updateMany({ where, data: { sessionVersion: { increment: 1 } } });
  if (count === 1)
    await tx.auditEvent.create({
      data: { actorId, action: "user.sessions-ended", subject: userId, details: { reason } },
    });
  return count === 1;
}
