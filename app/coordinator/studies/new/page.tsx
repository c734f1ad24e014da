import Link from "next/link";
import { randomInt } from "node:crypto";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { eligibleRuns, galleryImages } from "@/lib/studies/study-queries";
import { DEFAULT_QUESTION, readSettings } from "@/lib/studies/study-settings";
import { MAX_ARMS } from "@/lib/blinding/slot-design";
import { EmptyState } from "../../../components/empty-state";
import { NewStudyForm, type RunOption } from "./new-study-form";

export const dynamic = "force-dynamic";

export default async function NewStudyPage({
  searchParams,
}: {
  searchParams: Promise<{ datasetId?: string | string[] }>;
}) {
  await requireRole("COORDINATOR", "ADMIN");
  const { datasetId: raw } = await searchParams;
  const datasetId = typeof raw === "string" ? raw : undefined;
  const datasets = await db().dataset.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, classNames: true, _count: { select: { images: true } } },
  });
  const dataset = datasets.find((d) => d.id === datasetId);

  let form = null;
  if (dataset) {
    const [runs, gallery] = await Promise.all([eligibleRuns(dataset.id), galleryImages(dataset.id)]);
    // Preselect one run per variant, preferring runs marked ready for a study (eligibleRuns lists those first).
    const seen = new Set<string>();
    const options: RunOption[] = runs.map((r) => {
      const preselected = !seen.has(r.variant) && seen.size < MAX_ARMS && r.heatmapCount > 0;
      if (preselected) seen.add(r.variant);
      return {
        id: r.id,
        label: r.label,
        variant: r.variant,
        valAuc: r.valAuc,
        readyForStudy: r.readyForStudy,
        heatmapCount: r.heatmapCount,
        preselected,
      };
    });
    form = (
      <NewStudyForm
        datasetId={dataset.id}
        runs={options}
        gallery={gallery.map((g) => ({
          id: g.id,
          label: dataset.classNames[g.label] ?? String(g.label),
          name: g.originalName,
        }))}
        defaultQuestion={DEFAULT_QUESTION}
        defaultSeed={randomInt(1, 1_000_000)}
        settings={readSettings({})}
      />
    );
  }

  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link href="/coordinator" className="text-blue-700 underline">
          ← Studies
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">New study</h1>
      {datasets.length === 0 ? (
        <EmptyState title="No datasets yet">
          A researcher imports a dataset and trains model runs first; come back when runs with heat-maps exist.
        </EmptyState>
      ) : (
        <form method="get" className="flex items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
          <label className="text-sm font-medium">
            Dataset
            <select
              name="datasetId"
              defaultValue={dataset?.id ?? ""}
              className="mt-1 block rounded border border-slate-300 px-2 py-1"
            >
              <option value="" disabled>
                Choose a dataset…
              </option>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d._count.images} images)
                </option>
              ))}
            </select>
          </label>
          <button className="rounded border border-slate-400 px-3 py-1">
            {dataset ? "Change dataset" : "Continue"}
          </button>
        </form>
      )}
      {form}
    </section>
  );
}
