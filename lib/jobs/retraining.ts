// Training a finished job again: its settings as the start of a new request (editable), on the same dataset or a
// newer import of it, and the new job's results beside the old one's. The new job is a new TrainingJob with new
// runs: nothing of the old job changes, so a study built on the old runs keeps them.
import { db, JobStatus, type Prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { paramsColumn } from "@/lib/db/json-columns";
import type { TrainParams } from "@/lib/ml/train/train-params";
import type { Variant } from "@/lib/ml/models/architecture";
import { aucTableByVariant, meanSd, type MeanSd, VARIANT_ORDER } from "./auc-summary";
import { fromDbVariant } from "./variants";

/** A job can be trained again once none of its runs is waiting or training. */
export const FINISHED_JOB_STATUSES: JobStatus[] = [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED];

export interface RetrainSource {
  jobId: string;
  createdAt: string;
  datasetId: string;
  datasetName: string;
  variants: Variant[];
  seeds: number[];
  params: TrainParams;
}

/**
 * "A newer import of it": a dataset imported later from the same source (the same folder, the same uploaded
 * file name, the same synthetic recipe). Datasets are never edited after import, so a new import is how a
 * corrected or extended set arrives.
 */
function newerImportsWhere(dataset: { id: string; source: string; createdAt: Date }): Prisma.DatasetWhereInput {
  return dataset.source === ""
    ? { id: "" } // no source recorded: nothing can be told to be a newer import
    : { source: dataset.source, createdAt: { gt: dataset.createdAt }, id: { not: dataset.id } };
}

/** The finished job's settings, for the training form or the CLI; not-found or conflict otherwise. */
export async function retrainSource(jobId: string): Promise<RetrainSource> {
  const job = await db().trainingJob.findUnique({
    where: { id: jobId },
    select: {
      id: true,
      createdAt: true,
      status: true,
      variants: true,
      seeds: true,
      params: true,
      dataset: { select: { id: true, name: true } },
    },
  });
  if (!job) throw DomainError.notFound(`training job ${jobId} not found`);
  if (!FINISHED_JOB_STATUSES.includes(job.status))
    throw DomainError.conflict(
      `training job ${jobId} is ${job.status.toLowerCase()}; train it again once it has finished`,
    );
  return {
    jobId: job.id,
    createdAt: job.createdAt.toISOString(),
    datasetId: job.dataset.id,
    datasetName: job.dataset.name,
    variants: job.variants.map(fromDbVariant),
    seeds: job.seeds,
    // Parsed with today's schema, so a job stored before a parameter existed gets its default.
    params: paramsColumn.read.parse(job.params),
  };
}

/** Where a finished job may be trained again: its own dataset first, then the newer imports of it, newest first. */
export async function retrainTargets(jobId: string): Promise<{ id: string; name: string; newerImport: boolean }[]> {
  const job = await db().trainingJob.findUnique({
    where: { id: jobId },
    select: { dataset: { select: { id: true, name: true, source: true, createdAt: true } } },
  });
  if (!job) throw DomainError.notFound(`training job ${jobId} not found`);
  const newer = await db().dataset.findMany({
    where: newerImportsWhere(job.dataset),
    select: { id: true, name: true },
    orderBy: { createdAt: "desc" },
  });
  return [
    { id: job.dataset.id, name: job.dataset.name, newerImport: false },
    ...newer.map((d) => ({ ...d, newerImport: true })),
  ];
}

/** Refuses a retraining request whose job is unfinished or whose dataset is neither the job's nor a newer import of it. */
export async function checkRetrainTarget(jobId: string, datasetId: string): Promise<void> {
  await retrainSource(jobId);
  const targets = await retrainTargets(jobId);
  if (!targets.some((t) => t.id === datasetId)) {
    const message = "datasetId: a job is trained again on its own dataset or a newer import of it (same source)";
    throw DomainError.invalid(message, [{ field: "datasetId", message }]);
  }
}

export interface JobSummary {
  id: string;
  createdAt: string;
  status: JobStatus;
  variants: Variant[];
  seeds: number[];
  params: TrainParams;
  finished: boolean;
  retrainedFrom: { id: string; datasetId: string; datasetName: string } | null;
  retrainedBy: { id: string; datasetId: string; datasetName: string }[];
}

/** The training jobs of a dataset, newest first, with what each retrains and was retrained as. */
export async function datasetJobs(datasetId: string): Promise<JobSummary[]> {
  const link = { select: { id: true, dataset: { select: { id: true, name: true } } } } as const;
  const jobs = await db().trainingJob.findMany({
    where: { datasetId },
    select: {
      id: true,
      createdAt: true,
      status: true,
      variants: true,
      seeds: true,
      params: true,
      retrainedFrom: link,
      retrainedBy: { ...link, orderBy: { createdAt: "asc" } },
    },
    orderBy: { createdAt: "desc" },
  });
  const linkOf = (j: { id: string; dataset: { id: string; name: string } }) => ({
    id: j.id,
    datasetId: j.dataset.id,
    datasetName: j.dataset.name,
  });
  return jobs.map((j) => ({
    id: j.id,
    createdAt: j.createdAt.toISOString(),
    status: j.status,
    variants: j.variants.map(fromDbVariant),
    seeds: j.seeds,
    params: paramsColumn.read.parse(j.params),
    finished: FINISHED_JOB_STATUSES.includes(j.status),
    retrainedFrom: j.retrainedFrom ? linkOf(j.retrainedFrom) : null,
    retrainedBy: j.retrainedBy.map(linkOf),
  }));
}

export interface ComparedVariant {
  variant: string;
  old: MeanSd & { runs: { id: string; seed: number; valAuc: number | null; status: JobStatus }[] };
  new: MeanSd & { runs: { id: string; seed: number; valAuc: number | null; status: JobStatus }[] };
  /** New mean minus old mean; null while either side has no succeeded run. */
  difference: number | null;
}

export interface JobComparison {
  oldJob: { id: string; datasetId: string; datasetName: string; createdAt: string };
  newJob: { id: string; datasetId: string; datasetName: string; createdAt: string };
  /** The parameters that differ, as "epochs: 100 → 50". */
  changes: string[];
  variants: ComparedVariant[];
}

/** A retraining job's validation AUC per variant beside its predecessor's; null when the job retrains nothing. */
export async function retrainComparison(jobId: string): Promise<JobComparison | null> {
  const select = {
    id: true,
    createdAt: true,
    params: true,
    dataset: { select: { id: true, name: true } },
    runs: { select: { id: true, variant: true, seed: true, status: true, valAuc: true } },
  } as const;
  const job = await db().trainingJob.findUnique({
    where: { id: jobId },
    select: { ...select, retrainedFrom: { select } },
  });
  if (!job?.retrainedFrom) return null;
  const old = job.retrainedFrom;
  const describe = (j: typeof old) => ({
    id: j.id,
    datasetId: j.dataset.id,
    datasetName: j.dataset.name,
    createdAt: j.createdAt.toISOString(),
  });
  const oldParams = paramsColumn.read.parse(old.params);
  const newParams = paramsColumn.read.parse(job.params);
  const changes = (Object.keys(newParams) as (keyof TrainParams)[])
    .filter((k) => JSON.stringify(oldParams[k]) !== JSON.stringify(newParams[k]))
    .map((k) => `${k}: ${JSON.stringify(oldParams[k]) ?? "—"} → ${JSON.stringify(newParams[k]) ?? "—"}`);
  const oldTable = aucTableByVariant(old.runs);
  const newTable = aucTableByVariant(job.runs);
  const names = [...new Set([...oldTable, ...newTable].map((r) => r.variant))].sort(
    (a, b) => VARIANT_ORDER.indexOf(a as never) - VARIANT_ORDER.indexOf(b as never),
  );
  const side = (table: typeof oldTable, variant: string) => {
    const row = table.find((r) => r.variant === variant);
    return row
      ? {
          n: row.n,
          mean: row.mean,
          sd: row.sd,
          runs: row.runs.map(({ id, seed, valAuc, status }) => ({ id, seed, valAuc, status: status as JobStatus })),
        }
      : { ...meanSd([]), runs: [] };
  };
  return {
    oldJob: describe(old),
    newJob: describe(job),
    changes,
    variants: names.map((variant) => {
      const o = side(oldTable, variant);
      const n = side(newTable, variant);
      return { variant, old: o, new: n, difference: o.mean !== null && n.mean !== null ? n.mean - o.mean : null };
    }),
  };
}
