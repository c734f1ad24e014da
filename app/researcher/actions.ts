"use server";
// Researcher mutations. Every action re-checks the role: a server action is a public POST endpoint,
// whatever page rendered it. Inputs are parsed once here, by the forms of lib/jobs/job-forms.ts and
// lib/datasets/dataset-forms.ts; the domain functions take the typed requests.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "@/lib/audit/audit";
import { requireRole } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import {
  deleteFromForm,
  folderImportFromForm,
  previewFolderSchema,
  renameFromForm,
} from "@/lib/datasets/dataset-forms";
import { previewFolderTables, type TablePreview } from "@/lib/datasets/label-table-preview";
import { deleteDataset, renameDataset } from "@/lib/datasets/dataset-lifecycle";
import { importFolderDataset } from "@/lib/datasets/import-folder";
import { parseForm } from "@/lib/errors/field-errors";
import { toFormState, type FormState } from "@/lib/http/form-state";
import { enqueueHeatmaps, enqueueTraining } from "@/lib/jobs/enqueue";
import { heatmapsRequestFromForm, runIdSchema, runReadySchema, trainingRequestFromForm } from "@/lib/jobs/job-forms";
import { cancelRun, retryRun, setRunReady } from "@/lib/jobs/run-control";

export type { FormState };

const failure = (e: unknown): FormState => toFormState(e);

const researcher = () => requireRole("RESEARCHER", "ADMIN");

export async function importFolderAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  let datasetId: string;
  try {
    const input = folderImportFromForm(form, user.id);
    const result = await importFolderDataset(
      input,
      { scope: "import-roots", roots: env().FOCUS_IMPORT_ROOTS },
      {
        audit: { actorId: user.id, action: "dataset.import", details: { folder: input.folder } },
      },
    );
    datasetId = result.dataset.id;
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/researcher");
  redirect(`/researcher/datasets/${datasetId}?imported=1`);
}

/** Label tables of a folder under the import roots, for the console's column picker; reads only. */
export async function previewLabelTablesAction(folder: string): Promise<FormState<{ tables: TablePreview[] }>> {
  await researcher();
  try {
    const input = parseForm(previewFolderSchema, { folder });
    const tables = await previewFolderTables(input.folder, { scope: "import-roots", roots: env().FOCUS_IMPORT_ROOTS });
    return {
      ok: true,
      message: tables.length ? `${tables.length} label table(s) found.` : "No .csv or .tsv label table in this folder.",
      tables,
    };
  } catch (e) {
    return failure(e);
  }
}

export async function renameDatasetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  try {
    const input = renameFromForm(form);
    const { to } = await renameDataset(input, user.id);
    revalidatePath("/researcher");
    revalidatePath(`/researcher/datasets/${input.datasetId}`);
    return { ok: true, message: `Renamed to "${to}".` };
  } catch (e) {
    return failure(e);
  }
}

export async function deleteDatasetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  try {
    await deleteDataset(deleteFromForm(form), user.id);
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/researcher");
  redirect("/researcher?deleted=1");
}

export async function startTrainingAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  let datasetId: string;
  try {
    const job = await enqueueTraining(trainingRequestFromForm(form, user.id));
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
    const id = parseForm(runIdSchema, runId);
    const outcome = await cancelRun(id);
    await recordAudit(user.id, "run.cancel", id, { outcome });
    const message =
      outcome === "cancelled"
        ? "Cancelled."
        : outcome === "requested"
          ? "Cancelling: the worker stops after the current batch."
          : "The run had already finished.";
    return { ok: outcome !== "already-finished", message };
  } catch (e) {
    return failure(e);
  }
}

export async function retryRunAction(runId: string): Promise<FormState> {
  const user = await researcher();
  try {
    const id = parseForm(runIdSchema, runId);
    await retryRun(id);
    await recordAudit(user.id, "run.retry", id);
    return { ok: true, message: "Queued again; training resumes from the last checkpoint." };
  } catch (e) {
    return failure(e);
  }
}

/** Done, possibly with a caveat the researcher should read (`warning`). */
export async function setReadyAction(runId: string, ready: boolean): Promise<FormState<{ warning: string }>> {
  const user = await researcher();
  try {
    const input = parseForm(runReadySchema, { runId, ready });
    const { datasetId, warning } = await setRunReady(input.runId, input.ready, user.id);
    revalidatePath(`/researcher/datasets/${datasetId}/results`);
    revalidatePath(`/researcher/runs/${input.runId}`);
    if (!input.ready) return { ok: true, message: "No longer offered for studies." };
    return { ok: true, message: "Ready for studies.", ...(warning === null ? {} : { warning }) };
  } catch (e) {
    return failure(e);
  }
}

export async function heatmapsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await researcher();
  try {
    const input = heatmapsRequestFromForm(form);
    const { jobIds, images } = await enqueueHeatmaps(input);
    await recordAudit(user.id, "heatmaps.start", input.runIds.join(","), { images, jobs: jobIds.length });
    return {
      ok: true,
      message: `Queued ${images} heat-map${images === 1 ? "" : "s"} in ${jobIds.length} job${jobIds.length === 1 ? "" : "s"}; the gallery fills in as a worker renders them.`,
    };
  } catch (e) {
    return failure(e);
  }
}
