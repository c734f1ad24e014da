// Who may manage a study: its owner, or any admin. Everyone else is told it does not exist.
import { db, type Prisma } from "../db/client";
import { DomainError } from "../errors/domain-error";
import type { SessionUser } from "../auth/session";

/** The study if the user may manage it: its owner, or any admin. Others get the same 404 as a missing id. */
export async function manageableStudy(user: Pick<SessionUser, "id" | "role">, studyId: string) {
  const study = await db().study.findUnique({ where: { id: studyId } });
  if (!study || (user.role !== "ADMIN" && study.ownerId !== user.id)) throw DomainError.notFound("No such study.");
  return study;
}

export const ARCHIVED_MESSAGE = "The study is archived and read-only; un-archive it to change anything.";

/** Refuses a change to an archived study (read-only until un-archived); a missing study is "no such study". */
export async function assertNotArchived(
  client: Pick<Prisma.TransactionClient, "study">,
  studyId: string,
): Promise<void> {
  const study = await client.study.findUnique({ where: { id: studyId }, select: { archivedAt: true } });
  if (!study) throw DomainError.notFound("No such study.");
  if (study.archivedAt) throw DomainError.conflict(ARCHIVED_MESSAGE);
}
