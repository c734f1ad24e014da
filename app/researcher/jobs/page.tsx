// The training queue with live progress of every run, and the workers that serve it.
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { queueRuns, workersPanel } from "@/lib/jobs/job-queries";
import { LiveQueue } from "../components/live-queue";

export const dynamic = "force-dynamic";

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ dataset?: string | string[] }> }) {
  await requireRole("RESEARCHER", "ADMIN");
  const sp = await searchParams;
  const datasetId = typeof sp.dataset === "string" && sp.dataset.length <= 64 ? sp.dataset : undefined;
  const dataset = datasetId
    ? await db().dataset.findUnique({ where: { id: datasetId }, select: { id: true, name: true } })
    : null;
  const now = new Date();
  const [runs, workers] = await Promise.all([queueRuns({ datasetId: dataset?.id, recent: 100 }), workersPanel(now)]);
  return (
    <section className="space-y-6">
      <p className="text-sm">
        <Link href="/researcher" className="text-blue-700 underline">
          ← Datasets
        </Link>
      </p>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Training queue{dataset ? `: ${dataset.name}` : ""}</h1>
        {dataset && (
          <>
            <Link href={`/researcher/datasets/${dataset.id}/results`} className="text-sm text-blue-700 underline">
              Results of {dataset.name}
            </Link>
            <Link href="/researcher/jobs" className="text-sm text-blue-700 underline">
              All datasets
            </Link>
          </>
        )}
      </div>
      <LiveQueue initial={{ now: now.toISOString(), runs, workers }} datasetId={dataset?.id} recent={100} />
    </section>
  );
}
