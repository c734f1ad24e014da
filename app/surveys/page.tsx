import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EmptyState } from "../components/empty-state";

export const dynamic = "force-dynamic";

export default async function MyStudies() {
  const user = await requireRole("SPECIALIST");
  const invitations = await db().invitation.findMany({
    where: { readerId: user.id, status: { not: "REVOKED" }, study: { status: { in: ["OPEN", "CLOSED"] } } },
    select: { study: { select: { id: true, title: true, status: true, _count: { select: { cases: true } } } } },
  });
  return (
    <section>
      <h1 className="text-2xl font-semibold">My studies</h1>
      <div className="mt-4">
        {invitations.length === 0 ? (
          <EmptyState title="No open studies">When a coordinator opens a study you are invited to, it appears here.</EmptyState>
        ) : (
          <ul className="divide-y rounded border bg-white">
            {invitations.map(({ study }) => (
              <li key={study.id} className="p-3">{study.title} · {study._count.cases} cases · {study.status === "OPEN" ? "open" : "closed"}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
