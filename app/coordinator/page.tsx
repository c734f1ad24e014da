import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EmptyState } from "../components/empty-state";
import { StatusBadge } from "./studies/format";

export const dynamic = "force-dynamic";

export default async function CoordinatorHome({
  searchParams,
}: {
  searchParams: Promise<{ archived?: string | string[] }>;
}) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  // Archived studies are out of the default list; `?archived=1` lists them instead.
  const showArchived = (await searchParams).archived === "1";
  const studies = await db().study.findMany({
    where: {
      ...(user.role === "ADMIN" ? {} : { ownerId: user.id }),
      archivedAt: showArchived ? { not: null } : null,
    },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      title: true,
      status: true,
      owner: { select: { name: true } },
      _count: { select: { cases: true, invitations: true, arms: true } },
    },
  });
  return (
    <section>
      <div className="flex items-center gap-4">
        <h1 className="text-2xl font-semibold">{showArchived ? "Archived studies" : "Studies"}</h1>
        <Link
          href={showArchived ? "/coordinator" : "/coordinator?archived=1"}
          className="text-sm text-blue-700 underline"
        >
          {showArchived ? "Back to current studies" : "Archived studies"}
        </Link>
        <Link href="/coordinator/studies/new" className="ml-auto rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
          New study
        </Link>
      </div>
      <div className="mt-4">
        {studies.length === 0 ? (
          showArchived ? (
            <EmptyState title="No archived studies">
              Archive a draft or closed study from its page to take it out of the list.
            </EmptyState>
          ) : (
            <EmptyState title="No studies yet">
              A study turns trained model runs into a blinded reader survey. Once researchers have runs with heat-maps,
              create a study here, invite readers and follow their progress.
            </EmptyState>
          )
        ) : (
          <table className="w-full border-collapse bg-white text-sm">
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">Title</th>
                <th className="p-2">Status</th>
                <th className="p-2">Arms</th>
                <th className="p-2">Cases</th>
                <th className="p-2">Readers</th>
                {user.role === "ADMIN" && <th className="p-2">Owner</th>}
                <th className="p-2" />
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => (
                <tr key={s.id} className="border-b">
                  <td className="p-2">
                    <Link href={`/coordinator/studies/${s.id}`} className="text-blue-700 underline">
                      {s.title}
                    </Link>
                  </td>
                  <td className="p-2">
                    <StatusBadge status={s.status} />
                  </td>
                  <td className="p-2">{s._count.arms}</td>
                  <td className="p-2">{s._count.cases}</td>
                  <td className="p-2">{s._count.invitations}</td>
                  {user.role === "ADMIN" && <td className="p-2">{s.owner.name}</td>}
                  <td className="p-2">
                    <Link href={`/coordinator/studies/${s.id}/results`} className="text-blue-700 underline">
                      Results
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
