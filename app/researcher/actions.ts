"use server";
// Researcher mutations. Every action re-checks the role: a server action is a public POST endpoint,
// whatever page rendered it. Inputs go through zod (lib/researcher/console-inputs.ts).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z, ZodError } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EmptyClassError, importFolderDataset } from "@/lib/datasets/import-folder";
import { DatasetExistsError } from "@/lib/datasets/persist-dataset";
import { enqueueHeatmaps, enqueueTraining, NotFoundError } from "@/lib/jobs/enqueue";
import { cancelRun, retryRun } from "@/lib/jobs/run-control";
import { FolderLayoutError } from "@/lib/ml/data/folder-import";
import { StorageWriteError } from "@/lib/storage/content-store";
import { describeZodError, folderImportFromForm, heatmapsInputFromForm, runIdSchema, trainingInputFromForm } from "@/lib/researcher/console-inputs";

export interface FormState {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
}

/** Known failures become a message; anything else is logged and reported without details. */
function failure(e: unknown): FormState {
  if (e instanceof ZodError) {
    const { fieldErrors, summary } = describeZodError(e);
    return { ok: false, message: `Nothing was done. ${summary}`, fieldErrors };
  }
  if (e instanceof FolderLayoutError || e instanceof EmptyClassError || e instanceof DatasetExistsError || e instanceof NotFoundError || e instanceof StorageWriteError) {
    return { ok: false, message: e.message };
  }
  // run-control and enqueue refuse state changes that do not apply (e.g. retrying a succeeded run).
  if (e instanceof Error && /is (QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELLED);/.test(e.message)) return { ok: false, message: e.message };
  console.error(e);
  return { ok: false, message: "Something went wrong on the server; see the server log." };
}

const researcher = () => requireRole("RESEARCHER", "ADMIN");

export async function importFolderAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  let datasetId: string;
  try {
    const input = folderImportFromForm(form, user.id);
    const result = await importFolderDataset(input);
    datasetId = result.dataset.id;
    await recordAudit(user.id, "dataset.import", datasetId, { name: result.dataset.name, folder: input.folder, skipped: result.skipped.length });
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/researcher");
  redirect(`/researcher/datasets/${datasetId}?imported=1`);
}

export async function startTrainingAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  let datasetId: string;
  try {
    const input = trainingInputFromForm(form, user.id);
    const job = await enqueueTraining(input);
    datasetId = job.datasetId;
    await recordAudit(user.id, "training.start", job.id, { datasetId, variants: job.variants, seeds: job.seeds });
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/researcher/jobs");
  redirect(`/researcher/jobs?dataset=${encodeURIComponent(datasetId)}`);
}

export async function cancelRunAction(runId: string): Promise<FormState> {
  const user = await researcher();
  try {
    const id = runIdSchema.parse(runId);
    const outcome = await cancelRun(id);
    await recordAudit(user.id, "run.cancel", id, { outcome });
    const message = outcome === "cancelled" ? "Cancelled." : outcome === "requested" ? "Cancelling: the worker stops after the current batch." : "The run had already finished.";
    return { ok: outcome !== "already-finished", message };
  } catch (e) {
    return failure(e);
  }
}

export async function retryRunAction(runId: string): Promise<FormState> {
  const user = await researcher();
  try {
    const id = runIdSchema.parse(runId);
    await retryRun(id);
    await recordAudit(user.id, "run.retry", id);
    return { ok: true, message: "Queued again; training resumes from the last checkpoint." };
  } catch (e) {
    return failure(e);
  }
}

const readySchema = z.object({ runId: runIdSchema, ready: z.boolean({ error: "ready must be true or false" }) });

export async function setReadyAction(runId: string, ready: boolean): Promise<FormState> {
  const user = await researcher();
  try {
    const input = readySchema.parse({ runId, ready });
    // Only a finished model can be put in front of readers.
    const updated = await db().modelRun.updateMany({ where: { id: input.runId, status: "SUCCEEDED" }, data: { readyForStudy: input.ready } });
    if (updated.count === 0) return { ok: false, message: "Only succeeded runs can be marked ready for studies." };
    await recordAudit(user.id, input.ready ? "run.ready" : "run.unready", input.runId);
    const run = await db().modelRun.findUniqueOrThrow({ where: { id: input.runId }, select: { job: { select: { datasetId: true } } } });
    revalidatePath(`/researcher/datasets/${run.job.datasetId}/results`);
    revalidatePath(`/researcher/runs/${input.runId}`);
    return { ok: true, message: input.ready ? "Ready for studies." : "No longer offered for studies." };
  } catch (e) {
    return failure(e);
  }
}

export async function heatmapsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  try {
    const input = heatmapsInputFromForm(form);
    const { jobIds, images } = await enqueueHeatmaps(input);
    await recordAudit(user.id, "heatmaps.start", input.runIds.join(","), { images, jobs: jobIds.length });
    return { ok: true, message: `Queued ${images} heat-map${images === 1 ? "" : "s"} in ${jobIds.length} job${jobIds.length === 1 ? "" : "s"}; the gallery fills in as a worker renders them.` };
  } catch (e) {
    return failure(e);
  }
}
