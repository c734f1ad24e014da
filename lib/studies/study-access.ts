// Who may manage a study: its owner, or any admin. Everyone else is told it does not exist.
import { db } from "../db/client";
import { DomainError } from "../errors/domain-error";
import type { SessionUser } from "../auth/session";

/** The study if the user may manage it: its owner, or any admin. Others get the same 404 as a missing id. */
export async function manageableStudy(user: Pick<SessionUser, "id" | "role">, studyId: string) {
  const study = await db().study.findUnique({ where: { id: studyId } });
  if (!study || (user.role !== "ADMIN" && study.ownerId !== user.id)) throw DomainError.notFound("No such study.");
  return study;
}
