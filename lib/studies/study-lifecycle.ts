// A study's life after building: clone (settings, questions, arms and cases into a new draft), reopen a closed study,
// archive (out of the default list, read-only) and un-archive, and excluding a reader from the statistics.
// Each command checks that the actor may manage the study (its owner or an admin; anyone else gets the 404 of
// a missing study) and writes its audit event in the same transaction as the change.
import { randomBytes } from "node:crypto";
import { db, type Prisma } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { recordAudit } from "../audit/audit";
import type { SessionUser } from "../auth/session";
import { assertNotArchived, manageableStudy } from "./study-access";

type Actor = Pick<SessionUser, "id" | "role">;
type Tx = Prisma.TransactionClient;

const TITLE_MAX = 200;

export function cloneTitle(title: string): string {
  const suffix = " (copy)";
  return `${title.slice(0, TITLE_MAX - suffix.length)}${suffix}`;
}

/** A new draft owned by the actor with the study's title, instructions, question, settings, arms and cases. */
export async function cloneStudy(actor: Actor, studyId: string): Promise<{ id: string }> {
  await manageableStudy(actor, studyId);
  return db().$transaction(async (tx) => {
    const source = await tx.study.findUniqueOrThrow({
      where: { id: studyId },
      select: {
        title: true,
        instructions: true,
        question: true,
        questions: true,
        datasetId: true,
        settings: true,
        arms: { orderBy: { armIndex: "asc" }, select: { modelRunId: true, armIndex: true } },
        cases: { orderBy: { caseIndex: "asc" }, select: { imageId: true, caseIndex: true } },
      },
    });
    const copy = await tx.study.create({
      data: {
        title: cloneTitle(source.title),
        instructions: source.instructions,
        question: source.question,
        questions: source.questions ?? [],
        datasetId: source.datasetId,
        settings: source.settings ?? {},
        // A fresh design seed: the copy's slot and case orders owe nothing to the original's.
        designSeed: randomBytes(32).toString("hex"),
        ownerId: actor.id,
        arms: { create: source.arms.map(({ modelRunId, armIndex }) => ({ modelRunId, armIndex })) },
        cases: { create: source.cases.map(({ imageId, caseIndex }) => ({ imageId, caseIndex })) },
      },
      select: { id: true },
    });
    await recordAudit(
      actor.id,
      "study.clone",
      copy.id,
      { from: studyId, arms: source.arms.length, cases: source.cases.length },
      tx,
    );
    return copy;
  });
}

async function statusOf(tx: Tx, studyId: string) {
  const study = await tx.study.findUnique({ where: { id: studyId }, select: { status: true, archivedAt: true } });
  if (!study) throw DomainError.notFound("No such study.");
  return study;
}

/** A closed study opens again: readers can answer as before (their answers and orders are kept). */
export async function reopenStudy(actor: Actor, studyId: string): Promise<void> {
  await manageableStudy(actor, studyId);
  await db().$transaction(async (tx) => {
    const { count } = await tx.study.updateMany({
      where: { id: studyId, status: "CLOSED", archivedAt: null },
      data: { status: "OPEN", closedAt: null },
    });
    if (count === 0) {
      const study = await statusOf(tx, studyId);
      await assertNotArchived(tx, studyId);
      throw DomainError.conflict(
        study.status === "DRAFT" ? "A draft is not closed; publish it instead." : "The study is already open.",
      );
    }
    await recordAudit(actor.id, "study.reopen", studyId, {}, tx);
  });
}

/** Archives a draft or closed study (an open one is closed first, so no reader is cut off mid-case). */
export async function archiveStudy(actor: Actor, studyId: string): Promise<void> {
  await manageableStudy(actor, studyId);
  await db().$transaction(async (tx) => {
    const { count } = await tx.study.updateMany({
      where: { id: studyId, archivedAt: null, status: { not: "OPEN" } },
      data: { archivedAt: new Date(), nextReminderAt: null },
    });
    if (count === 0) {
      const study = await statusOf(tx, studyId);
      throw DomainError.conflict(
        study.archivedAt ? "The study is already archived." : "Close the study before archiving it.",
      );
    }
    await recordAudit(actor.id, "study.archive", studyId, {}, tx);
  });
}

export async function unarchiveStudy(actor: Actor, studyId: string): Promise<void> {
  await manageableStudy(actor, studyId);
  await db().$transaction(async (tx) => {
    const { count } = await tx.study.updateMany({
      where: { id: studyId, archivedAt: { not: null } },
      data: { archivedAt: null },
    });
    if (count === 0) {
      await statusOf(tx, studyId);
      throw DomainError.conflict("The study is not archived.");
    }
    await recordAudit(actor.id, "study.unarchive", studyId, {}, tx);
  });
}

/**
 * Excludes a reader from every statistic (or includes them again). The answers stay, are exported with the
 * status "excluded", and the reader can still open the study: exclusion is about analysis, not access (revoke
 * is for access).
 */
export async function setReaderExcluded(
  actor: Actor,
  studyId: string,
  invitationId: string,
  excluded: boolean,
): Promise<void> {
  await manageableStudy(actor, studyId);
  await db().$transaction(async (tx) => {
    await assertNotArchived(tx, studyId);
    const { count } = await tx.invitation.updateMany({
      where: { id: invitationId, studyId, excludedAt: excluded ? null : { not: null } },
      data: { excludedAt: excluded ? new Date() : null },
    });
    if (count === 0) {
      const inv = await tx.invitation.findUnique({ where: { id: invitationId }, select: { studyId: true } });
      if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such invitation.");
      throw DomainError.conflict(excluded ? "The reader is already excluded." : "The reader is not excluded.");
    }
    await recordAudit(actor.id, excluded ? "invitation.exclude" : "invitation.include", invitationId, { studyId }, tx);
  });
}
