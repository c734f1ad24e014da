// Sign-out ends the session for real: next-auth only clears the cookie, and a copied cookie would stay
// valid until it expires, so the user's session version is raised as well (every device signs out).
import { db } from "../db/client";
import { endUserSessions } from "./session-version";

export async function signOutSessions(
  userId: string | undefined,
  tokenVersion: number | undefined,
  invitation?: { id: string; version: number | undefined },
): Promise<void> {
  if (!userId || typeof tokenVersion !== "number") return;
  if (invitation) {
    // A reader's account is shared by the studies that invited the email: signing out ends the sessions of
    // this invitation only, so a coordinator who signs in with their own invitation of the same clinician and
    // signs out cannot end the clinician's session in another coordinator's study.
    const version = invitation.version;
    if (typeof version !== "number") return;
    await db().$transaction(async (tx) => {
      const { count } = await tx.invitation.updateMany({
        where: { id: invitation.id, readerId: userId, sessionVersion: version },
        data: { sessionVersion: { increment: 1 } },
      });
      if (count === 1) {
        await tx.auditEvent.create({
          data: {
            actorId: userId,
            action: "invitation.sessions-ended",
            subject: invitation.id,
            details: { reason: "sign-out" },
          },
        });
      }
    });
    return;
  }
  await db().$transaction((tx) => endUserSessions(tx, userId, "sign-out", userId, tokenVersion));
}
