// Results of a dataset, paper style: validation AUC-ROC per variant as mean ± sd over runs (and each run), beside
// the test AUC where the dataset has a held-out test split, ROC curves overlaid, training curves, the localisation
// summary, heat-map jobs and a gallery comparing the variants on the same images. Researchers are not blinded, so
// variants are named everywhere here.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { formatMeanSd } from "@/lib/jobs/auc-summary";
import { datasetResults, heatmapComparison } from "@/lib/jobs/run-results";
import { datasetLocalisation } from "@/lib/jobs/localisation-summary";
import { LocalisationTable } from "../../../components/localisation-table";
import { succeededRuns } from "@/lib/jobs/job-queries";
import { datasetJobs, retrainComparison, type JobComparison } from "@/lib/jobs/retraining";
import { EmptyState } from "../../../../components/empty-state";
import { formatAuc, formatMoment, runLabel, statusClass } from "../../../format";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { RocChart, TrainingCurves } from "../../../components/charts";
import { HeatmapForm } from "../../../components/heatmap-form";
import { ReadyToggle } from "../../../components/run-controls";
import { SortableTable, type SortRow } from "../../../components/sortable-table";
import { HeatmapGallery } from "../../../heatmap-gallery";

export const dynamic = "force-dynamic";

export default async function ResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ job?: string }>;
}) {
  await requireRole("RESEARCHER", "ADMIN");
  const { id } = await params;
  const { job } = await searchParams;
  const dataset = await db().dataset.findUnique({ where: { id }, select: { id: true, name: true, classNames: true } });
  if (!dataset) notFound();
  const jobId = typeof job === "string" && job.length <= 64 ? job : undefined;
  const [{ runs, table }, comparison, finished, validation, active, testImages, localisation, jobs] = await Promise.all(
    [
      datasetResults(id, { jobId }),
      heatmapComparison(id, { maxImages: 12 }),
      succeededRuns(id),
      db().image.findMany({
        where: { datasetId: id, split: "VALIDATION" },
        select: { id: true, originalName: true, label: true },
        orderBy: { contentHash: "asc" },
        take: 96,
      }),
      db().modelRun.count({ where: { job: { datasetId: id }, status: { in: ["QUEUED", "RUNNING"] } } }),
      db().image.count({ where: { datasetId: id, split: "TEST" } }),
      datasetLocalisation(id, { jobId }),
      datasetJobs(id),
    ],
  );
  const anyTest = table.some((t) => t.test.n > 0);
  // The retraining jobs of this dataset (the chosen one, else the five newest), each beside the job it retrains.
  const retrainings = jobs.filter((j) => j.retrainedFrom && (jobId === undefined || j.id === jobId)).slice(0, 5);
  const comparisons = (await Promise.all(retrainings.map((j) => retrainComparison(j.id)))).filter(
    (c): c is JobComparison => c !== null,
  );
  const succeeded = runs.filter((r) => r.status === "SUCCEEDED");
  const chartRuns = succeeded.map((r) => ({
    id: r.id,
    label: runLabel(r),
    variant: r.variant,
    seed: r.seed,
    roc: r.roc,
    valAuc: r.valAuc,
    history: r.history,
  }));
  const runRows: SortRow[] = runs.map((r) => ({
    key: r.id,
    testid: `result-run-${r.id}`,
    cells: {
      run: {
        sort: `${r.variant} ${String(r.seed).padStart(6, "0")}`,
        node: (
          <Link href={`/researcher/runs/${r.id}`} className="text-blue-700 underline">
            {runLabel(r)}
          </Link>
        ),
      },
      status: { sort: r.status, node: <span className={statusClass(r.status)}>{r.status.toLowerCase()}</span> },
      epochs: { sort: r.epoch, node: `${r.epoch} / ${r.epochs}` },
      setup: {
        sort: r.params.inputSize,
        node: `${r.params.inputSize ?? "?"} px · width ${r.params.width ?? "?"}${r.params.classWeighting === "balanced" ? " · class-weighted loss" : ""}`,
      },
      auc: { sort: r.valAuc, value: r.valAuc, testid: `run-auc-${r.id}`, node: formatAuc(r.valAuc) },
      testAuc: {
        sort: r.testAuc,
        value: r.testAuc,
        testid: `run-test-auc-${r.id}`,
        node: (
          <>
            {formatAuc(r.testAuc)}
            {r.testEvaluation?.auc?.ci && (
              <span className="text-xs text-slate-500">
                {" "}
                [{formatAuc(r.testEvaluation.auc.ci.low)}, {formatAuc(r.testEvaluation.auc.ci.high)}]
              </span>
            )}
          </>
        ),
      },
      predictions: {
        sort: r.predictions,
        node:
          r.predictions > 0 ? (
            <a href={`/api/researcher/runs/${r.id}/predictions.csv`} className="text-blue-700 underline" download>
              CSV
            </a>
          ) : (
            "—"
          ),
      },
      heatmaps: { sort: r.heatmaps, node: String(r.heatmaps) },
      ready: {
        sort: r.readyForStudy ? 1 : 0,
        node: <ReadyToggle runId={r.id} ready={r.readyForStudy} enabled={r.status === "SUCCEEDED"} />,
      },
    },
  }));

  return (
    <section className="space-y-8">
      <p className="text-sm">
        <Link href={`/researcher/datasets/${id}`} className="text-blue-700 underline">
          ← {dataset.name}
        </Link>
      </p>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Results: {dataset.name}</h1>
        {jobId && (
          <Link href={`/researcher/datasets/${id}/results`} className="text-sm text-blue-700 underline">
            All jobs
          </Link>
        )}
        <Link href={`/researcher/jobs?dataset=${id}`} className="text-sm text-blue-700 underline">
          Queue{active ? ` (${active} active)` : ""}
        </Link>
        <AutoRefresh label="Refresh" seconds={5} />
      </div>

      {runs.length === 0 ? (
        <EmptyState title="No finished runs yet">
          Start training from the{" "}
          <Link href={`/researcher/datasets/${id}`} className="underline">
            dataset page
          </Link>
          ; results appear here when runs finish.
        </EmptyState>
      ) : (
        <>
          <section>
            <h2 className="mb-1 text-lg font-medium">Validation AUC-ROC per variant</h2>
            <p className="mb-2 text-xs text-slate-600">
              Mean ± sample standard deviation over the succeeded runs (seeds), as in Rao et al. (ICCV-W 2021).
              Cancelled and failed runs are listed but not averaged. Runs with different settings are pooled unless you
              pick one job.
              {anyTest
                ? " Test AUC: the final model on the held-out test split, which neither training nor any threshold saw."
                : testImages > 0
                  ? " This dataset has a test split; runs trained before test evaluation existed have no test AUC."
                  : " No test split: only validation figures (import split folders or a split column for one)."}
            </p>
            <table className="w-full border-collapse bg-white text-sm" data-testid="auc-table">
              <thead>
                <tr className="border-b text-left">
                  <th className="p-2">Variant</th>
                  <th className="p-2">Runs</th>
                  <th className="p-2">AUC (mean ± sd)</th>
                  {anyTest && <th className="p-2">Test AUC (mean ± sd)</th>}
                  <th className="p-2">Each run</th>
                </tr>
              </thead>
              <tbody>
                {table.map((t) => (
                  <tr key={t.variant} className="border-b" data-testid={`auc-row-${t.variant}`}>
                    <td className="p-2 font-medium">{t.variant}</td>
                    <td className="p-2">{t.n}</td>
                    <td
                      className="p-2 font-mono"
                      data-testid={`auc-mean-${t.variant}`}
                      data-value={JSON.stringify(t.mean)}
                      data-sd={JSON.stringify(t.sd)}
                    >
                      {formatMeanSd(t)}
                    </td>
                    {anyTest && (
                      <td
                        className="p-2 font-mono"
                        data-testid={`test-auc-mean-${t.variant}`}
                        data-value={JSON.stringify(t.test.mean)}
                        data-sd={JSON.stringify(t.test.sd)}
                      >
                        {formatMeanSd(t.test)}
                        {t.test.n !== t.n && <span className="text-xs text-slate-500"> ({t.test.n} runs)</span>}
                      </td>
                    )}
                    <td className="p-2">
                      {t.runs.map((r) => (
                        <Link
                          key={r.id}
                          href={`/researcher/runs/${r.id}`}
                          className={`mr-3 ${r.status === "SUCCEEDED" ? "text-blue-700" : "text-slate-400 line-through"} underline`}
                        >
                          seed {r.seed}: {formatAuc(r.valAuc)}
                          {typeof r.testAuc === "number" && ` (test ${formatAuc(r.testAuc)})`}
                        </Link>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section>
            <h2 className="mb-2 text-lg font-medium">Runs</h2>
            <SortableTable
              testid="runs-table"
              columns={[
                { key: "run", label: "Run" },
                { key: "status", label: "Status" },
                { key: "epochs", label: "Epochs", numeric: true },
                { key: "setup", label: "Setup" },
                { key: "auc", label: "Val AUC", numeric: true },
                { key: "testAuc", label: "Test AUC [95 % CI]", numeric: true },
                { key: "predictions", label: "Predictions" },
                { key: "heatmaps", label: "Heat-maps", numeric: true },
                { key: "ready", label: "Study" },
              ]}
              rows={runRows}
            />
          </section>

          {succeeded.length > 0 && (
            <section className="grid gap-6 lg:grid-cols-2">
              <div>
                <h2 className="mb-2 text-lg font-medium">ROC curves (validation split)</h2>
                <RocChart runs={chartRuns} />
              </div>
              <div className="space-y-4">
                <h2 className="text-lg font-medium">Training curves</h2>
                <TrainingCurves runs={chartRuns} metric="loss" />
                <TrainingCurves runs={chartRuns} metric="valAuc" />
              </div>
            </section>
          )}
        </>
      )}

      {comparisons.map((c) => (
        <RetrainComparisonTable key={c.newJob.id} comparison={c} />
      ))}

      {jobs.length > 0 && (
        <section>
          <h2 className="mb-2 text-lg font-medium">Training jobs</h2>
          <table className="w-full border-collapse bg-white text-sm" data-testid="jobs-table">
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">Started</th>
                <th className="p-2">Status</th>
                <th className="p-2">Runs</th>
                <th className="p-2">Setup</th>
                <th className="p-2">History</th>
                <th className="p-2"></th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className="border-b" data-testid={`job-row-${j.id}`}>
                  <td className="p-2">
                    <Link href={`/researcher/datasets/${id}/results?job=${j.id}`} className="text-blue-700 underline">
                      {formatMoment(j.createdAt)}
                    </Link>
                  </td>
                  <td className="p-2">
                    <span className={statusClass(j.status)}>{j.status.toLowerCase()}</span>
                  </td>
                  <td className="p-2">
                    {j.variants.join(", ")} × seeds {j.seeds.join(", ")}
                  </td>
                  <td className="p-2">
                    {j.params.inputSize} px · width {j.params.width} · batch {j.params.batchSize} · {j.params.epochs}{" "}
                    epochs · lr {j.params.learningRate}
                  </td>
                  <td className="p-2 text-xs">
                    {j.retrainedFrom && (
                      <span className="block">
                        trains again{" "}
                        <Link
                          href={`/researcher/datasets/${j.retrainedFrom.datasetId}/results?job=${j.retrainedFrom.id}`}
                          className="text-blue-700 underline"
                        >
                          a job on {j.retrainedFrom.datasetName}
                        </Link>
                      </span>
                    )}
                    {j.retrainedBy.map((r) => (
                      <span key={r.id} className="block">
                        trained again{" "}
                        <Link
                          href={`/researcher/datasets/${r.datasetId}/results?job=${r.id}`}
                          className="text-blue-700 underline"
                        >
                          on {r.datasetName}
                        </Link>
                      </span>
                    ))}
                  </td>
                  <td className="p-2">
                    {j.finished && (
                      <Link
                        href={`/researcher/datasets/${id}?retrain=${j.id}#train`}
                        className="text-blue-700 underline"
                        data-testid={`retrain-${j.id}`}
                      >
                        Train again
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section>
        <h2 className="mb-1 text-lg font-medium">Localisation per variant</h2>
        <LocalisationTable localisation={localisation} />
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Render heat-maps</h2>
        <HeatmapForm
          testImages={testImages}
          runs={finished}
          images={validation.map((im) => ({
            id: im.id,
            originalName: im.originalName,
            className: dataset.classNames[im.label] ?? String(im.label),
          }))}
        />
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Heat-maps compared (Grad-CAM, target = ground truth)</h2>
        <HeatmapGallery comparison={comparison} />
      </section>
    </section>
  );
}

/** A retraining job's validation AUC per variant beside the job it trains again. */
function RetrainComparisonTable({ comparison: c }: { comparison: JobComparison }) {
  const seeds = (side: JobComparison["variants"][number]["old"]) =>
    side.runs.map((r) => (
      <Link
        key={r.id}
        href={`/researcher/runs/${r.id}`}
        className={`mr-2 ${r.status === "SUCCEEDED" ? "text-blue-700" : "text-slate-400 line-through"} underline`}
      >
        {r.seed}: {formatAuc(r.valAuc)}
      </Link>
    ));
  return (
    <section data-testid={`retrain-comparison-${c.newJob.id}`}>
      <h2 className="mb-1 text-lg font-medium">New runs beside the old ones</h2>
      <p className="mb-2 text-xs text-slate-600">
        Validation AUC-ROC, mean ± sd over succeeded runs. Old: the job of {formatMoment(c.oldJob.createdAt)} on{" "}
        {c.oldJob.datasetName}; new: the job of {formatMoment(c.newJob.createdAt)} on {c.newJob.datasetName}.{" "}
        {c.changes.length ? `Changed: ${c.changes.join("; ")}.` : "Same settings."} Each side is measured on its own
        dataset&apos;s validation split.
      </p>
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Variant</th>
            <th className="p-2">Old AUC</th>
            <th className="p-2">Old runs (seed: AUC)</th>
            <th className="p-2">New AUC</th>
            <th className="p-2">New runs (seed: AUC)</th>
            <th className="p-2">New − old</th>
          </tr>
        </thead>
        <tbody>
          {c.variants.map((v) => (
            <tr key={v.variant} className="border-b" data-testid={`compare-${v.variant}`}>
              <td className="p-2 font-medium">{v.variant}</td>
              <td className="p-2 font-mono" data-testid="compare-old">
                {formatMeanSd(v.old)}
              </td>
              <td className="p-2">{seeds(v.old)}</td>
              <td className="p-2 font-mono" data-testid="compare-new">
                {formatMeanSd(v.new)}
              </td>
              <td className="p-2">{seeds(v.new)}</td>
              <td className="p-2 font-mono">
                {v.difference === null ? "—" : `${v.difference >= 0 ? "+" : ""}${v.difference.toFixed(3)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
