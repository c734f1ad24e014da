// Renaming and deleting a dataset. Deletion is refused while a study uses the dataset (its cases are the
// dataset's images, its arms the dataset's runs) or while training on it is queued or running; otherwise the
// dataset, its images, training jobs, runs, heat-maps and predictions go in one transaction with the audit event.
// Stored files are content-addressed and may be shared with another dataset (the same image imported twice), so
// a file is removed only when, after the transaction, no row of any table refers to its key any more. A crash
// between the two leaves unreferenced files, never a row pointing at a missing one.
import { unlink } from "node:fs/promises";
import { db, Prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { recordAudit } from "@/lib/audit/audit";
import { pathOfKey, isStorageKey } from "@/lib/storage/content-store";
import type { DeleteDatasetInput, RenameDatasetInput } from "./dataset-inputs";

/** Columns holding storage keys: by the schema's convention, every scalar field named "...Key". */
function keyColumns(): Array<{ table: string; column: string }> {
  const out: Array<{ table: string; column: string }> = [];
  const namespace = Prisma as unknown as Record<string, Record<string, string> | undefined>;
  for (const model of Object.values(Prisma.ModelName)) {
    for (const field of Object.values(namespace[`${model}ScalarFieldEnum`] ?? {}))
      if (field.endsWith("Key")) out.push({ table: model, column: field });
  }
  return out;
}

/** Keys among `keys` that some row still refers to. Identifiers come from the generated client, never input. */
async function referencedKeys(
  keys: string[],
  client: Prisma.TransactionClient | ReturnType<typeof db>,
): Promise<Set<string>> {
  const referenced = new Set<string>();
  if (keys.length === 0) return referenced;
  for (const { table, column } of keyColumns()) {
    const rows = await client.$queryRawUnsafe<Array<{ key: string }>>(
      `SELECT "${column}" AS key FROM "${table}" WHERE "${column}" = ANY($1::text[])`,
      keys,
    );
    for (const r of rows) referenced.add(r.key);
  }
  return referenced;
}

export interface DeletedDataset {
  name: string;
  images: number;
  runs: number;
  /** Stored files removed (those no other row referred to). */
  filesRemoved: number;
}

export async function deleteDataset(input: DeleteDatasetInput, actorId: string | null): Promise<DeletedDataset> {
  const { datasetId } = input;
  const { name, images, runs, candidates } = await db().$transaction(
    async (tx) => {
      // Locks the row, so a study cannot be created on it between the check and the delete.
      const locked = await tx.$queryRaw<
        Array<{ name: string }>
      >`SELECT name FROM "Dataset" WHERE id = ${datasetId} FOR UPDATE`;
      if (locked.length === 0) throw DomainError.notFound("Dataset not found.");
      const datasetName = locked[0].name;
      if (input.confirmName !== datasetName)
        throw DomainError.invalid(`Type the dataset's name, "${datasetName}", to confirm the deletion.`, [
          { field: "confirmName", message: "does not match the dataset's name" },
        ]);
      // The count only: study titles belong to their coordinators.
      const studies = await tx.study.count({ where: { datasetId } });
      if (studies > 0)
        throw DomainError.conflict(
          `Dataset "${datasetName}" is used by ${studies} stud${studies === 1 ? "y" : "ies"}; it cannot be deleted while a study uses it.`,
        );
      const active = await tx.trainingJob.count({ where: { datasetId, status: { in: ["QUEUED", "RUNNING"] } } });
      if (active > 0)
        throw DomainError.conflict(
          `Dataset "${datasetName}" has ${active} training job(s) queued or running; cancel them before deleting it.`,
        );
      // Every key this dataset's rows hold, from the tables that hang off it.
      const keys = new Set<string>();
      const scoped: Array<{ table: string; where: string }> = [
        { table: "Image", where: `"datasetId" = $1` },
        { table: "ModelRun", where: `"jobId" IN (SELECT id FROM "TrainingJob" WHERE "datasetId" = $1)` },
        { table: "Heatmap", where: `"imageId" IN (SELECT id FROM "Image" WHERE "datasetId" = $1)` },
      ];
      for (const { table, where } of scoped) {
        for (const { column } of keyColumns().filter((c) => c.table === table)) {
          const rows = await tx.$queryRawUnsafe<Array<{ key: string | null }>>(
            `SELECT "${column}" AS key FROM "${table}" WHERE ${where}`,
            datasetId,
          );
          for (const r of rows) if (r.key !== null && isStorageKey(r.key)) keys.add(r.key);
        }
      }
      const imageCount = await tx.image.count({ where: { datasetId } });
      const runCount = await tx.modelRun.count({ where: { job: { datasetId } } });
      // Runs, heat-maps and predictions cascade from their job and image.
      await tx.trainingJob.deleteMany({ where: { datasetId } });
      await tx.dataset.delete({ where: { id: datasetId } });
      await recordAudit(
        actorId,
        "dataset.delete",
        datasetId,
        { name: datasetName, images: imageCount, runs: runCount },
        tx,
      );
      return { name: datasetName, images: imageCount, runs: runCount, candidates: [...keys] };
    },
    { timeout: 120_000 },
  );
  const stillUsed = await referencedKeys(candidates, db());
  let filesRemoved = 0;
  for (const key of candidates) {
    if (stillUsed.has(key)) continue;
    try {
      await unlink(pathOfKey(key));
      filesRemoved++;
    } catch (e) {
      // Already gone is the state we want.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return { name, images, runs, filesRemoved };
}

export async function renameDataset(
  input: RenameDatasetInput,
  actorId: string | null,
): Promise<{ from: string; to: string }> {
  const { datasetId, name: newName } = input;
  try {
    return await db().$transaction(async (tx) => {
      const current = await tx.dataset.findUnique({ where: { id: datasetId }, select: { name: true } });
      if (!current) throw DomainError.notFound("Dataset not found.");
      if (current.name === newName) return { from: current.name, to: newName };
      await tx.dataset.update({ where: { id: datasetId }, data: { name: newName } });
      await recordAudit(actorId, "dataset.rename", datasetId, { from: current.name, to: newName }, tx);
      return { from: current.name, to: newName };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw DomainError.conflict(`A dataset named "${newName}" already exists; choose another name.`);
    throw e;
  }
}
