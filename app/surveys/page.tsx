import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { readerStudies } from "@/lib/studies/reader-survey";
import { EmptyState } from "../components/empty-state";

export const dynamic = "force-dynamic";

export default async function MyStudies() {
  const user = await requireRole("SPECIALIST");
  // A session started from one invitation shows that invitation's study only.
  const studies = user.invitation ? await readerStudies(user.id, user.invitation.studyId) : [];
  return (
    <section>
      <h1 className="text-2xl font-semibold">My studies</h1>
      <div className="mt-4">
        {studies.length === 0 ? (
          <EmptyState title="No open studies">
            When a coordinator opens a study you are invited to, it appears here.
          </EmptyState>
        ) : (
          <ul className="space-y-3">
            {studies.map((s) => {
              const done = s.answered >= s.total && s.total > 0;
              return (
                <li key={s.studyId} className="flex items-center gap-4 rounded-lg border border-slate-200 bg-white p-4">
                  <div className="flex-1">
                    <p className="font-medium">{s.title}</p>
                    <p className="text-sm text-slate-600">
                      {s.answered} of {s.total} cases answered{s.status === "CLOSED" ? " · closed" : ""}
                    </p>
                    <div className="mt-2 h-2 w-full max-w-sm rounded bg-slate-100" aria-hidden>
                      <div
                        className="h-2 rounded bg-blue-600"
                        style={{ width: `${s.total ? (100 * s.answered) / s.total : 0}%` }}
                      />
                    </div>
                  </div>
                  {s.status === "OPEN" && (
                    <Link href={`/surveys/${s.studyId}`} className="rounded bg-slate-900 px-4 py-2 text-white">
                      {done ? "Review" : s.answered === 0 ? "Start" : "Continue"}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
