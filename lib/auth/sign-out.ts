// Sign-out ends the session for real: next-auth only clears the cookie, and a copied cookie would stay
// valid until it expires, so the user's session version is raised as well (every device signs out).
import { db } from "../db/client";
import { endUserSessions } from "./session-version";

export async function signOutSessions(userId: string | undefined, tokenVersion: number | undefined): Promise<void> {
  if (!userId || typeof tokenVersion !== "number") return;
  await db().$transaction((tx) => endUserSessions(tx, userId, "sign-out", userId, tokenVersion));
}
