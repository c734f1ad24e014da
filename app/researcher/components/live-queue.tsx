"use client";
// The training queue and the workers panel, refreshed by polling /api/researcher/queue every 2 s (no page
// reload). Rows link to the run and dataset pages; cancel and retry act at once and refetch.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { QueueRun, WorkerRow } from "@/lib/jobs/job-queries";
import { formatAuc, formatEta, formatMoment, formatNumber, statusClass } from "../format";
import { CancelRetryButtons } from "./run-controls";
import { compareSortValues } from "./sortable-table";

export interface QueueSnapshot {
  now: string;
  runs: QueueRun[];
  workers: WorkerRow[];
}

type SortKey = "run" | "dataset" | "status" | "progress" | "loss" | "valAuc" | "speed" | "eta" | "worker";

const SORTERS: Record<SortKey, (r: QueueRun) => string | number | null> = {
  run: (r) => `${r.variant} ${String(r.seed).padStart(6, "0")}`,
  dataset: (r) => r.datasetName,
  status: (r) => r.status,
  progress: (r) => (r.epochs ? r.epoch / r.epochs : null),
  loss: (r) => r.loss,
  valAuc: (r) => r.valAuc,
  speed: (r) => r.imagesPerSecond,
  eta: (r) => r.etaSeconds,
  worker: (r) => r.workerId,
};

export function LiveQueue({
  initial,
  datasetId,
  recent = 50,
  pollMs = 2000,
  showWorkers = true,
}: {
  initial: QueueSnapshot;
  datasetId?: string;
  recent?: number;
  pollMs?: number;
  showWorkers?: boolean;
}) {
  const [snap, setSnap] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(true);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 } | null>(null);

  const refresh = useCallback(async () => {
    const qs = new URLSearchParams({ recent: String(recent) });
    if (datasetId) qs.set("dataset", datasetId);
    try {
      const res = await fetch(`/api/researcher/queue?${qs}`, { cache: "no-store" });
      if (!res.ok)
        throw new Error(((await res.json().catch(() => ({}))) as { error?: string })?.error ?? `HTTP ${res.status}`);
      setSnap((await res.json()) as QueueSnapshot);
      setError(null);
    } catch (e) {
      setError(`Live update failed: ${(e as Error).message}`);
    }
  }, [datasetId, recent]);

  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void refresh(), pollMs);
    return () => clearInterval(t);
  }, [live, pollMs, refresh]);

  const runs = useMemo(() => {
    if (!sort) return snap.runs;
    return [...snap.runs].sort((a, b) => {
      const x = SORTERS[sort.key](a),
        y = SORTERS[sort.key](b);
      return x === null || y === null ? compareSortValues(x, y) : sort.dir * compareSortValues(x, y);
    });
  }, [snap.runs, sort]);

  const header = (key: SortKey, label: string) => (
    <th className="p-2" aria-sort={sort?.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        className="font-medium hover:underline"
        onClick={() => setSort(sort?.key === key && sort.dir === 1 ? { key, dir: -1 } : { key, dir: 1 })}
      >
        {label}
        {sort?.key === key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );

  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3 text-sm text-slate-600">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live (every{" "}
          {pollMs / 1000} s)
        </label>
        <span data-testid="queue-updated">updated {formatMoment(snap.now).slice(11)}</span>
        {error && (
          <span role="alert" className="text-red-700">
            {error}
          </span>
        )}
      </div>
      {showWorkers && <WorkersPanel workers={snap.workers} />}
      {runs.length === 0 ? (
        <p className="rounded border border-dashed bg-white p-4 text-sm text-slate-600">
          No training runs yet. Start one from a dataset&apos;s page.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse bg-white text-sm" data-testid="queue-table">
            <thead>
              <tr className="border-b text-left">
                {header("run", "Run")}
                {header("dataset", "Dataset")}
                {header("status", "Status")}
                {header("progress", "Epoch")}
                {header("loss", "Loss")}
                {header("valAuc", "Val AUC")}
                {header("speed", "Images/s")}
                {header("eta", "ETA")}
                {header("worker", "Worker · backend")}
                <th className="p-2">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr
                  key={r.id}
                  className="border-b align-top"
                  data-testid={`queue-run-${r.id}`}
                  data-status={r.status}
                  data-variant={r.variant}
                >
                  <td className="p-2">
                    <Link href={`/researcher/runs/${r.id}`} className="text-blue-700 underline">
                      {r.variant} seed {r.seed}
                    </Link>
                    <div className="text-xs text-slate-500">
                      {r.params.inputSize ?? "?"} px · width {r.params.width ?? "?"}
                    </div>
                  </td>
                  <td className="p-2">
                    <Link href={`/researcher/datasets/${r.datasetId}`} className="text-blue-700 underline">
                      {r.datasetName}
                    </Link>
                  </td>
                  <td className="p-2">
                    <span className={statusClass(r.status)} data-testid="run-status">
                      {r.status.toLowerCase()}
                    </span>
                    {r.error && <div className="mt-1 max-w-xs text-xs text-red-700">{r.error}</div>}
                    {r.workerLostAt && (
                      <div className="mt-1 max-w-xs text-xs text-amber-700" data-testid="run-worker-lost">
                        worker lost, requeued at {r.workerLostAt.slice(11, 19)} UTC
                        {r.lostWorkerId ? ` (was on ${r.lostWorkerId})` : ""}
                      </div>
                    )}
                  </td>
                  <td className="p-2">
                    <span data-testid="run-epoch">
                      {r.epoch} / {r.epochs}
                    </span>
                    <div className="mt-1 h-1.5 w-24 rounded bg-slate-200" aria-hidden>
                      <div
                        className="h-1.5 rounded bg-blue-600"
                        style={{ width: `${r.epochs ? Math.min(100, (100 * r.epoch) / r.epochs) : 0}%` }}
                      />
                    </div>
                  </td>
                  <td className="p-2 font-mono">{formatNumber(r.loss, 4)}</td>
                  <td className="p-2 font-mono" data-testid="run-auc" data-value={JSON.stringify(r.valAuc)}>
                    {formatAuc(r.valAuc)}
                  </td>
                  <td className="p-2 font-mono">{formatNumber(r.imagesPerSecond, 1)}</td>
                  <td className="p-2">{r.status === "RUNNING" ? formatEta(r.etaSeconds) : "—"}</td>
                  <td className="p-2 text-xs">
                    {r.workerId ?? "—"}
                    {r.backend ? ` · ${r.backend}` : ""}
                  </td>
                  <td className="p-2">
                    <CancelRetryButtons
                      runId={r.id}
                      status={r.status}
                      cancelRequested={r.cancelRequested}
                      onDone={() => void refresh()}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function WorkersPanel({ workers }: { workers: WorkerRow[] }) {
  const online = workers.filter((w) => w.online);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="workers-panel">
      <h2 className="font-medium">
        Workers: <span data-testid="workers-online">{online.length}</span> online
      </h2>
      {workers.length === 0 ? (
        <p className="text-sm text-slate-600">
          No worker has reported yet. Start one with <code>npm run worker</code> (same DATABASE_URL and
          FOCUS_STORAGE_DIR as the web app); queued runs wait until then.
        </p>
      ) : (
        <ul className="mt-1 grid gap-1 text-sm sm:grid-cols-2">
          {workers.map((w) => (
            <li key={w.id} data-testid={`worker-${w.id}`} data-online={w.online}>
              <span
                className={`mr-2 inline-block h-2 w-2 rounded-full ${w.online ? "bg-green-600" : "bg-slate-400"}`}
                aria-hidden
              />
              <span className="font-mono">{w.id}</span> · {w.backend} · {w.online ? "online" : "offline"} (seen{" "}
              {w.secondsSinceSeen} s ago)
              {w.currentRunId && (
                <>
                  {" "}
                  ·{" "}
                  <Link href={`/researcher/runs/${w.currentRunId}`} className="text-blue-700 underline">
                    current run
                  </Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
