// Server-side role checks for pages, server actions and route handlers. The JWT only says who
// signed in and under which session version; the role, active flag and version are re-read from the
// database on every request, and a token whose version is no longer the user's is treated as absent.
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { requestSessionClaims, type SessionClaims } from "./session-token";
import { sessionUserRow, type SessionUserColumns } from "../studies/reader-case-queries";
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
// The user and the session's invitation come in one raw statement (lib/studies/reader-case-queries.ts): this
// runs on every request, and Prisma's query planning cost more CPU than the query (docs/benchmarks.md).
export const currentUser = cache(async function currentUser(): Promise<SessionUser | null> {
  const claims = await requestSessionClaims();
  return claims ? userOfClaims(claims) : null;
});

export type SessionUserRow = SessionUserColumns;

/** The signed-in user the claims name, when the user and (for a reader) the invitation still honour them. */
export async function userOfClaims(claims: SessionClaims): Promise<SessionUser | null> {
  return sessionUserOf(claims, await sessionUserRow(claims.uid, claims.inv ?? null));
}

/**
 * The session's rules on the user's row (the one place they are written): an active user whose session
 * version the token carries; for a reader, also the session's own live invitation under its version.
 */
export function sessionUserOf(claims: SessionClaims, user: SessionUserRow | null): SessionUser | null {
  if (!user || user.id !== claims.uid || !user.active || !isSessionCurrent(claims.sv, user)) return null;
  const base = { id: user.id, email: user.email, name: user.name, role: user.role, pseudonym: user.pseudonym };
  if (user.role !== "SPECIALIST") return { ...base, invitation: null };
  // A reader's session without a live invitation of that reader (revoked, or a token from before sessions
  // were bound to invitations) grants nothing.
  if (
    !user.invitationId ||
    user.invitationId !== claims.inv ||
    !user.studyId ||
    user.readerName === null ||
    user.invitationStatus === "REVOKED" ||
    user.invitationSessionVersion === null ||
    !isSessionCurrent(claims.isv, { sessionVersion: user.invitationSessionVersion })
  )
    return null;
  return { ...base, name: user.readerName, invitation: { id: user.invitationId, studyId: user.studyId } };
}

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
