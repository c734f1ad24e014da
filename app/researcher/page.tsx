import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EmptyState } from "../components/empty-state";

export const dynamic = "force-dynamic";

export default async function ResearcherHome() {
  await requireRole("RESEARCHER", "ADMIN");
  const [datasets, jobs] = await Promise.all([
    db().dataset.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, name: true, modality: true, _count: { select: { images: true } } } }),
    db().trainingJob.findMany({ orderBy: { createdAt: "desc" }, take: 20, select: { id: true, status: true, variants: true, createdAt: true, dataset: { select: { name: true } } } }),
  ]);
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Datasets and jobs</h1>
      <div>
        <h2 className="text-lg font-medium">Datasets</h2>
        <div className="mt-2">
          {datasets.length === 0 ? (
            <EmptyState title="No datasets yet">
              Import an image folder (<code>npm run -s focus -- dataset:import &lt;folder&gt;</code>) or create the synthetic
              dermoscopy set (<code>npm run -s focus -- dataset:synthetic</code>).
            </EmptyState>
          ) : (
            <ul className="divide-y rounded border bg-white">
              {datasets.map((d) => (
                <li key={d.id} className="p-2 text-sm">{d.name} · {d.modality} · {d._count.images} images</li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div>
        <h2 className="text-lg font-medium">Training jobs</h2>
        <div className="mt-2">
          {jobs.length === 0 ? (
            <EmptyState title="No training jobs yet">Start one with <code>npm run -s focus -- train --dataset &lt;name&gt;</code>.</EmptyState>
          ) : (
            <ul className="divide-y rounded border bg-white">
              {jobs.map((j) => (
                <li key={j.id} className="p-2 text-sm">{j.dataset.name} · {j.variants.join(", ").toLowerCase()} · {j.status}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
