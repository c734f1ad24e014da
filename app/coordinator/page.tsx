import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EmptyState } from "../components/empty-state";

export const dynamic = "force-dynamic";

export default async function CoordinatorHome() {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const studies = await db().study.findMany({
    where: user.role === "ADMIN" ? {} : { ownerId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, title: true, status: true, _count: { select: { cases: true, invitations: true } } },
  });
  return (
    <section>
      <h1 className="text-2xl font-semibold">Studies</h1>
      <div className="mt-4">
        {studies.length === 0 ? (
          <EmptyState title="No studies yet">
            A study turns trained model runs into a blinded reader survey. Once researchers have runs with heat-maps,
            create a study here, invite readers and follow their progress.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse bg-white text-sm">
            <thead><tr className="border-b text-left"><th className="p-2">Title</th><th className="p-2">Status</th><th className="p-2">Cases</th><th className="p-2">Readers</th></tr></thead>
            <tbody>
              {studies.map((s) => (
                <tr key={s.id} className="border-b"><td className="p-2">{s.title}</td><td className="p-2">{s.status}</td><td className="p-2">{s._count.cases}</td><td className="p-2">{s._count.invitations}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
