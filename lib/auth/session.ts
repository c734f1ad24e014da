// Server-side role checks for pages, server actions and route handlers. The JWT only says who
// signed in and under which session version; the role, active flag and version are re-read from the
// database on every request, and a token whose version is no longer the user's is treated as absent.
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { authOptions } from "./options";
import { db } from "../db/client";
import { isSessionCurrent } from "./session-version";
import type { Role } from "../db/generated/enums";
import { DomainError } from "../errors/domain-error";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  pseudonym: string;
  /** A reader's session grants one invitation's study and nothing else; null for staff. */
  invitation: { id: string; studyId: string } | null;
}

// One session decode and one user query per request, however many components ask (header, page, guards).
export const currentUser = cache(async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const invitationId = session.user?.invitationId ?? null;
  const user = await db().user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      pseudonym: true,
      active: true,
      sessionVersion: true,
      invitations: {
        where: { id: invitationId ?? "" },
        select: { id: true, studyId: true, status: true, readerName: true, sessionVersion: true },
      },
    },
  });
  if (!user || !user.active || !isSessionCurrent(session?.user?.sv, user)) return null;
  const { active: _active, sessionVersion: _version, invitations, ...rest } = user;
  if (user.role !== "SPECIALIST") return { ...rest, invitation: null };
  // A reader's session without a live invitation of that reader (revoked, or a token from before sessions
  // were bound to invitations) grants nothing.
  const invitation = invitations[0];
  if (!invitation || invitation.status === "REVOKED" || !isSessionCurrent(session?.user?.isv, invitation)) return null;
  return { ...rest, name: invitation.readerName, invitation: { id: invitation.id, studyId: invitation.studyId } };
});

/** The one study a reader's session may see; any other study id answers like a study that does not exist. */
export function sessionGrantsStudy(user: SessionUser, studyId: string): boolean {
  return user.role === "SPECIALIST" && user.invitation !== null && user.invitation.studyId === studyId;
}

/** For pages and server actions: anonymous -> sign-in, wrong role -> 403 page. */
export async function requireRole(...roles: Role[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  if (!roles.includes(user.role)) forbidden();
  return user;
}

/** For route handlers: throws DomainError (unauthenticated / forbidden), turned into JSON by lib/http/handler.ts. */
export async function requireApiRole(...roles: Role[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new DomainError("unauthenticated", "Sign in first.");
  if (!roles.includes(user.role)) throw DomainError.forbidden("Your role may not use this resource.");
  return user;
}
