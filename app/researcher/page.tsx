// Researcher console home: datasets (sortable), import from a folder or a zip, and the live workers panel.
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { uploadLimitBytes } from "@/lib/datasets/zip-upload";
import { listDatasets } from "@/lib/datasets/dataset-queries";
import { queueRuns, workersPanel } from "@/lib/jobs/job-queries";
import { EmptyState } from "../components/empty-state";
import { MODALITY_LABEL } from "./format";
import { FolderImportForm, ZipUploadForm } from "./components/import-forms";
import { LiveQueue } from "./components/live-queue";
import { SortableTable, type SortRow } from "./components/sortable-table";

export const dynamic = "force-dynamic";

export default async function ResearcherHome({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  await requireRole("RESEARCHER", "ADMIN");
  const { deleted } = await searchParams;
  const now = new Date();
  const [datasets, runs, workers] = await Promise.all([listDatasets(), queueRuns({ recent: 5 }), workersPanel(now)]);
  const rows: SortRow[] = datasets.map((d) => ({
    key: d.id,
    testid: `dataset-row-${d.name}`,
    cells: {
      name: {
        sort: d.name,
        node: (
          <Link href={`/researcher/datasets/${d.id}`} className="text-blue-700 underline">
            {d.name}
          </Link>
        ),
      },
      modality: { sort: d.modality, node: MODALITY_LABEL[d.modality] ?? d.modality },
      classes: {
        sort: d.images,
        value: d.classCounts.join("/"),
        node: (
          <>
            {d.classNames[0]} {d.classCounts[0]} · {d.classNames[1]} {d.classCounts[1]}
          </>
        ),
      },
      split: {
        sort: d.splitCounts.VALIDATION,
        node: (
          <>
            {d.splitCounts.TRAIN} train · {d.splitCounts.VALIDATION} val
            {d.splitCounts.TEST ? ` · ${d.splitCounts.TEST} test` : ""}
          </>
        ),
      },
      masks: { sort: d.masks, node: d.masks ? `${d.masks} of ${d.images}` : "none" },
      size: { sort: d.imageSize, node: `${d.imageSize} px` },
      runs: {
        sort: d.runs,
        node: d.runs ? (
          <Link href={`/researcher/datasets/${d.id}/results`} className="text-blue-700 underline">
            {d.runs}
          </Link>
        ) : (
          "0"
        ),
      },
      created: { sort: d.createdAt, node: d.createdAt.slice(0, 10) },
    },
  }));
  return (
    <section className="space-y-8">
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Datasets</h1>
        <Link href="/researcher/jobs" className="text-sm text-blue-700 underline">
          Training queue and workers →
        </Link>
      </div>
      {deleted === "1" && (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-2 text-sm text-green-800">
          The dataset was deleted.
        </p>
      )}
      {datasets.length === 0 ? (
        <EmptyState title="No datasets yet">
          Import an image folder or a zip below, or create the synthetic dermoscopy set with{" "}
          <code>npm run -s focus -- dataset:synthetic</code>.
        </EmptyState>
      ) : (
        <SortableTable
          testid="datasets-table"
          initialSort={{ key: "created", dir: "desc" }}
          columns={[
            { key: "name", label: "Name" },
            { key: "modality", label: "Modality" },
            { key: "classes", label: "Classes", numeric: true },
            { key: "split", label: "Split", numeric: true },
            { key: "masks", label: "Masks", numeric: true },
            { key: "size", label: "Stored size", numeric: true },
            { key: "runs", label: "Runs", numeric: true },
            { key: "created", label: "Imported" },
          ]}
          rows={rows}
        />
      )}
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Import a dataset</h2>
        <div className="grid gap-4 lg:grid-cols-2">
          <FolderImportForm roots={env().FOCUS_IMPORT_ROOTS} />
          <ZipUploadForm maxMb={Math.round(uploadLimitBytes() / 1048576)} />
        </div>
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Latest runs</h2>
        <LiveQueue initial={{ now: now.toISOString(), runs, workers }} recent={5} />
      </section>
    </section>
  );
}
