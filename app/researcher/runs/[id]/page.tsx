// One model run: its settings and progress, curves, ROC, heat-maps, and cancel/retry/ready controls.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { heatmapComparison, runDetail } from "@/lib/jobs/run-results";
import { formatAuc, formatEta, formatMoment, runLabel, statusClass } from "../../format";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { RocChart, TrainingCurves } from "../../components/charts";
import { CancelRetryButtons, ReadyToggle } from "../../components/run-controls";
import { HeatmapGallery } from "../../heatmap-gallery";
import { TestEvaluation } from "../../components/test-evaluation";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireRole("RESEARCHER", "ADMIN");
  const { id } = await params;
  const r = await runDetail(id);
  if (!r) notFound();
  const comparison = r.heatmaps > 0 ? await heatmapComparison(r.datasetId, { runIds: [r.id], maxImages: 24 }) : null;
  const active = r.status === "QUEUED" || r.status === "RUNNING";
  const chart = [
    {
      id: r.id,
      label: runLabel(r),
      variant: r.variant,
      seed: r.seed,
      roc: r.roc,
      valAuc: r.valAuc,
      history: r.history,
    },
  ];
  const params_ =
    r.rawParams && typeof r.rawParams === "object" && !Array.isArray(r.rawParams) ? Object.entries(r.rawParams) : [];
  return (
    <section className="space-y-6">
      <p className="text-sm">
        <Link href={`/researcher/datasets/${r.datasetId}/results`} className="text-blue-700 underline">
          ← Results of {r.datasetName}
        </Link>
        {" · "}
        <Link href={`/researcher/datasets/${r.datasetId}/results?job=${r.jobId}`} className="text-blue-700 underline">
          this job only
        </Link>
        {" · "}
        {/* The dataset page refuses, with a message, a job that has not finished yet. */}
        <Link href={`/researcher/datasets/${r.datasetId}?retrain=${r.jobId}#train`} className="text-blue-700 underline">
          train this job again
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{runLabel(r)}</h1>
        <span className={statusClass(r.status)} data-testid="run-status">
          {r.status.toLowerCase()}
        </span>
        <CancelRetryButtons runId={r.id} status={r.status} cancelRequested={r.cancelRequested} />
        <ReadyToggle runId={r.id} ready={r.readyForStudy} enabled={r.status === "SUCCEEDED"} />
        {active && <AutoRefresh seconds={2} initiallyOn label="Live" />}
      </div>
      {r.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          {r.error}
        </p>
      )}
      <dl className="grid gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="inline font-medium">Validation AUC: </dt>
          <dd className="inline font-mono" data-testid="run-val-auc" data-value={JSON.stringify(r.valAuc)}>
            {formatAuc(r.valAuc)}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Epoch: </dt>
          <dd className="inline">
            {r.epoch} / {r.epochs}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">ETA: </dt>
          <dd className="inline">{r.status === "RUNNING" ? formatEta(r.etaSeconds) : "—"}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Worker: </dt>
          <dd className="inline font-mono text-xs">{r.workerId ?? "—"}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Backend: </dt>
          <dd className="inline">{r.backend ?? "—"}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Started / finished: </dt>
          <dd className="inline">
            {formatMoment(r.startedAt)} / {formatMoment(r.finishedAt)}
          </dd>
        </div>
      </dl>
      {r.status === "SUCCEEDED" && (
        <section className="space-y-2">
          <h2 className="text-lg font-medium">Held-out test split</h2>
          {r.testEvaluation ? (
            <TestEvaluation evaluation={r.testEvaluation} />
          ) : (
            <p className="text-sm text-slate-600">
              No test figures: the dataset has no test split (or the run finished before test evaluation existed).
            </p>
          )}
          {r.predictions > 0 && (
            <p className="text-sm">
              <a
                href={`/api/researcher/runs/${r.id}/predictions.csv`}
                className="text-blue-700 underline"
                data-testid="predictions-csv"
                download
              >
                Predictions CSV
              </a>{" "}
              <span className="text-slate-600">
                ({r.predictions} validation and test images: id, file name, split, true label, P(positive))
              </span>
            </p>
          )}
        </section>
      )}
      <details className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <summary className="cursor-pointer font-medium">Hyper-parameters</summary>
        <table className="mt-2 text-xs">
          <tbody>
            {params_.map(([k, v]) => (
              <tr key={k}>
                <th className="pr-4 text-left font-normal text-slate-600">{k}</th>
                <td className="font-mono">{JSON.stringify(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <section className="grid gap-6 lg:grid-cols-2">
        <div>
          <h2 className="mb-2 text-lg font-medium">ROC curve (validation split)</h2>
          {r.roc.length >= 2 ? (
            <RocChart runs={chart} />
          ) : (
            <p className="text-sm text-slate-600">Available when the run has finished.</p>
          )}
        </div>
        <div className="space-y-4">
          <h2 className="text-lg font-medium">Training curves</h2>
          {r.history.length > 0 ? (
            <>
              <TrainingCurves runs={chart} metric="loss" />
              <TrainingCurves runs={chart} metric="valAuc" />
            </>
          ) : (
            <p className="text-sm text-slate-600">No finished epoch yet.</p>
          )}
        </div>
      </section>
      <section>
        <h2 className="mb-2 text-lg font-medium">Heat-maps ({r.heatmaps})</h2>
        {comparison ? (
          <HeatmapGallery comparison={comparison} />
        ) : (
          <p className="text-sm text-slate-600">
            None yet; render them from the{" "}
            <Link href={`/researcher/datasets/${r.datasetId}/results`} className="underline">
              results page
            </Link>
            .
          </p>
        )}
      </section>
    </section>
  );
}
