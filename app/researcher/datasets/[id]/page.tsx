// One dataset: counts, the import report (files skipped and why), a thumbnail gallery per class and the
// start-training form.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { classGallery, datasetOverview } from "@/lib/datasets/dataset-queries";
import { estimateInputs as estimateInputsFor } from "@/lib/jobs/estimate-queries";
import {
  CPU_QUICK_FORM_VALUES,
  PAPER_FORM_DEFAULTS,
  retrainFormValues,
  TRAINING_INPUT_LIMITS,
} from "@/lib/jobs/job-forms";
import { retrainSource, retrainTargets } from "@/lib/jobs/retraining";
import { isDomainError } from "@/lib/errors/domain-error";
import { formatMoment, MODALITY_LABEL } from "../../format";
import { TrainingForm, type RetrainValues } from "../../components/training-form";
import { DatasetManageForms } from "../../components/dataset-manage-forms";

export const dynamic = "force-dynamic";

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ imported?: string; retrain?: string | string[] }>;
}) {
  await requireRole("RESEARCHER", "ADMIN");
  const { id } = await params;
  const { imported, retrain: retrainParam } = await searchParams;
  const d = await datasetOverview(id);
  if (!d) notFound();
  const retrainId = typeof retrainParam === "string" && retrainParam.length <= 64 ? retrainParam : undefined;
  const retrain = retrainId ? await retrainFormFor(retrainId, d.id) : undefined;
  const [gallery, estimateInputs] = await Promise.all([classGallery(d.id, d.classNames, 24), estimateInputsFor(d.id)]);
  return (
    <section className="space-y-8">
      <p className="text-sm">
        <Link href="/researcher" className="text-blue-700 underline">
          ← Datasets
        </Link>
      </p>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold" data-testid="dataset-name">
          {d.name}
        </h1>
        <Link href={`/researcher/datasets/${d.id}/results`} className="text-sm text-blue-700 underline">
          Results and heat-maps
        </Link>
        <Link href={`/researcher/jobs?dataset=${d.id}`} className="text-sm text-blue-700 underline">
          Queue for this dataset
        </Link>
      </div>
      {imported === "1" && (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-2 text-sm text-green-800">
          Imported {d.images} images
          {d.importReport.length ? `; ${d.importReport.length} file(s) skipped (see the import report below)` : ""}.
        </p>
      )}
      <dl
        className="grid gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2"
        data-testid="dataset-facts"
      >
        <div>
          <dt className="inline font-medium">Modality: </dt>
          <dd className="inline">{MODALITY_LABEL[d.modality] ?? d.modality}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Classes: </dt>
          <dd className="inline" data-testid="class-counts">
            {d.classNames[0]} (0) {d.classCounts[0]} · {d.classNames[1]} (1, positive) {d.classCounts[1]}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Split (seed {d.splitSeed}): </dt>
          <dd className="inline" data-testid="split-counts">
            {d.splitCounts.TRAIN} train · {d.splitCounts.VALIDATION} validation
            {d.splitCounts.TEST ? ` · ${d.splitCounts.TEST} test` : ""}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Masks: </dt>
          <dd className="inline">{d.masks ? `${d.masks} of ${d.images} images` : "none"}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Stored size: </dt>
          <dd className="inline" data-testid="stored-size">
            {d.imageSize} px, {d.imageFit === "cover" ? "centre-cropped (cover)" : "padded (contain)"}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Source: </dt>
          <dd className="inline break-all font-mono text-xs">{d.source || "—"}</dd>
        </div>
        {d.description && (
          <div className="sm:col-span-2">
            <dt className="inline font-medium">Description: </dt>
            <dd className="inline">{d.description}</dd>
          </div>
        )}
      </dl>

      <section>
        <h2 className="mb-2 text-lg font-medium">Import report</h2>
        {d.importReport.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="import-report-empty">
            Every file was imported.
          </p>
        ) : (
          <table className="w-full border-collapse bg-white text-sm" data-testid="import-report">
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">File skipped</th>
                <th className="p-2">Why</th>
              </tr>
            </thead>
            <tbody>
              {d.importReport.map((s, i) => (
                <tr key={`${s.path}-${i}`} className="border-b">
                  <td className="p-2 font-mono text-xs">{s.path}</td>
                  <td className="p-2">{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Images per class</h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {gallery.map((c) => (
            <div
              key={c.label}
              className="rounded-lg border border-slate-200 bg-white p-3"
              data-testid={`gallery-${c.className}`}
            >
              <h3 className="font-medium">
                {c.className}{" "}
                <span className="text-sm font-normal text-slate-600">
                  ({c.label === 1 ? "positive" : "negative"}; showing {c.images.length} of {c.total})
                </span>
              </h3>
              <ul className="mt-2 grid grid-cols-4 gap-2 sm:grid-cols-6">
                {c.images.map((im) => (
                  <li key={im.id} className="text-center text-[10px] text-slate-500">
                    {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                    <img
                      src={`/api/researcher/images/${im.id}`}
                      alt={im.originalName}
                      title={`${im.originalName} · ${im.split.toLowerCase()}${im.hasMask ? " · mask" : ""}`}
                      loading="lazy"
                      className="mx-auto h-16 w-16 rounded border object-contain [image-rendering:pixelated]"
                    />
                    {im.split === "VALIDATION" ? "val" : "train"}
                    {im.hasMask ? " · mask" : ""}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>

      <section id="train">
        <h2 className="mb-2 text-lg font-medium">{retrain?.ok ? "Train a job again" : "Start training"}</h2>
        {retrain && !retrain.ok && (
          <p role="alert" className="mb-2 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
            {retrain.message} The form below starts a new job from the paper&apos;s protocol.
          </p>
        )}
        {retrain?.ok && retrain.otherTargets.length > 0 && (
          <p className="mb-2 text-sm">
            Train it on another import instead:{" "}
            {retrain.otherTargets.map((t) => (
              <Link
                key={t.id}
                href={`/researcher/datasets/${t.id}?retrain=${retrain.values.jobId}#train`}
                className="mr-3 text-blue-700 underline"
              >
                {t.name}
                {t.newerImport ? " (newer import)" : " (the job's dataset)"}
              </Link>
            ))}
          </p>
        )}
        <TrainingForm
          key={retrain?.ok ? retrain.values.jobId : "new"}
          datasetId={d.id}
          paper={PAPER_FORM_DEFAULTS}
          quick={CPU_QUICK_FORM_VALUES}
          bounds={TRAINING_INPUT_LIMITS}
          estimateInputs={estimateInputs}
          retrain={retrain?.ok ? retrain.values : undefined}
        />
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Rename or delete</h2>
        <DatasetManageForms datasetId={d.id} name={d.name} />
      </section>
    </section>
  );
}

/** The training form's start when a finished job is trained again on this dataset, or why it cannot be. */
async function retrainFormFor(
  jobId: string,
  datasetId: string,
): Promise<
  | { ok: true; values: RetrainValues; otherTargets: { id: string; name: string; newerImport: boolean }[] }
  | { ok: false; message: string }
> {
  try {
    const source = await retrainSource(jobId);
    const targets = await retrainTargets(jobId);
    if (!targets.some((t) => t.id === datasetId)) {
      return { ok: false, message: "This dataset is neither the job's own nor a newer import of it (same source)." };
    }
    const form = retrainFormValues(source.params, source.seeds);
    return {
      ok: true,
      values: {
        jobId: source.jobId,
        label: `job of ${formatMoment(source.createdAt)} on ${source.datasetName}`,
        variants: source.variants,
        ...form,
      },
      otherTargets: targets.filter((t) => t.id !== datasetId),
    };
  } catch (e) {
    if (isDomainError(e)) return { ok: false, message: e.message };
    throw e;
  }
}
