import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { readerReview, type CaseStatus } from "@/lib/studies/reader-survey-review";
import { flagCaseAction } from "./flag-action";

export const dynamic = "force-dynamic";

const STATUS: Record<CaseStatus, string> = {
  answered: "Answered",
  changed: "Changed, not submitted",
  draft: "Draft",
  "not-started": "Not started",
};

export default async function MyAnswers({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requireRole("SPECIALIST");
  const { studyId } = await params;
  if (!sessionGrantsStudy(user, studyId)) notFound();
  const review = await orNotFound(() => readerReview(user.id, studyId));
  const open = review.status === "OPEN";
  return (
    <section>
      <h1 className="text-2xl font-semibold">My answers</h1>
      <p className="text-slate-700">
        {review.title}
        {open ? "" : " · closed"}
      </p>
      <table className="mt-4 w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Case</th>
            <th className="p-2">Picture</th>
            <th className="p-2">Status</th>
            <th className="p-2">Chosen</th>
            <th className="p-2">Flag</th>
          </tr>
        </thead>
        <tbody>
          {review.rows.map((r) => (
            <tr key={r.caseNumber} className="border-b" data-testid={`answer-row-${r.caseNumber}`}>
              <td className="p-2">
                {review.allowRevisit || r.status === "not-started" || r.status === "draft" ? (
                  <Link href={`/surveys/${studyId}/case/${r.caseNumber}`} className="text-blue-700 underline">
                    Case {r.caseNumber}
                  </Link>
                ) : (
                  <>Case {r.caseNumber}</>
                )}
              </td>
              <td className="p-2">
                {r.thumbnailUrl ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img
                    src={r.thumbnailUrl}
                    alt={`Original image, case ${r.caseNumber}`}
                    width={56}
                    height={56}
                    className="rounded [image-rendering:pixelated]"
                  />
                ) : (
                  <span className="text-slate-600">not opened</span>
                )}
              </td>
              <td className="p-2">
                {STATUS[r.status]}
                {r.flagged && <span className="ml-2 rounded bg-amber-100 px-1 text-amber-900">Flagged</span>}
              </td>
              <td className="p-2">
                {r.letter
                  ? `Model ${r.letter}`
                  : r.option === "none"
                    ? "None of the maps"
                    : r.option === "cannot_decide"
                      ? "Cannot decide"
                      : "—"}
              </td>
              <td className="p-2">
                {open && (
                  <form action={flagCaseAction}>
                    <input type="hidden" name="studyId" value={studyId} />
                    <input type="hidden" name="caseNumber" value={r.caseNumber} />
                    <input type="hidden" name="flagged" value={r.flagged ? "false" : "true"} />
                    <button type="submit" className="rounded border px-2 py-0.5">
                      {r.flagged ? "Unflag" : "Flag"}
                      <span className="sr-only"> case {r.caseNumber}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Link href="/surveys" className="mt-4 inline-block text-blue-700 underline">
        Back to my studies
      </Link>
    </section>
  );
}
