// One reader's answers, read-only, for the study's coordinator.
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { manageableStudy } from "@/lib/studies/study-access";
import { readerAnswersForCoordinator } from "@/lib/studies/reader-answers";
import { formatDuration, formatMoment } from "../../../format";

export const dynamic = "force-dynamic";

const STATUS = { answered: "Answered", draft: "Draft, not submitted", "not-started": "Not started" } as const;
const OPTION = { none: "None of the maps", cannot_decide: "Cannot decide" } as const;

export default async function ReaderAnswersPage({ params }: { params: Promise<{ id: string; invitationId: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id, invitationId } = await params;
  // The access check comes first: nothing of the invitation is read for a study that is not the user's.
  const { title } = await orNotFound(() => manageableStudy(user, id));
  const view = await orNotFound(() => readerAnswersForCoordinator(id, invitationId));
  const answered = view.rows.filter((r) => r.status === "answered").length;
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link href={`/coordinator/studies/${id}`} className="text-blue-700 underline">
          ← {title}
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">
        {view.name} <span className="font-mono text-base text-slate-600">{view.pseudonym}</span>
      </h1>
      <p className="text-sm text-slate-700">
        {view.email} · {view.specialty} · {view.status} · {answered} of {view.rows.length} answered. Read-only; cases in
        this reader&apos;s order, then the repeated cases (not marked as repeats for the reader).
      </p>
      <table className="w-full border-collapse bg-white text-sm" data-testid="reader-answers">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">#</th>
            <th className="p-2">Case</th>
            <th className="p-2">Status</th>
            <th className="p-2">Slot</th>
            <th className="p-2">Model</th>
            <th className="p-2">Rationale</th>
            <th className="p-2">Confidence</th>
            <th className="p-2">Time</th>
            <th className="p-2">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.position} className="border-b align-top" data-testid={`reader-answer-${r.position}`}>
              <td className="p-2">{r.position}</td>
              <td className="p-2">
                {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                <img
                  src={`/api/coordinator/images/${r.imageId}`}
                  alt={`Case ${r.caseNumber}`}
                  width={48}
                  height={48}
                  className="mr-2 inline rounded border [image-rendering:pixelated]"
                />
                Case {r.caseNumber} · {r.label}
                {r.repeat && <span className="ml-1 rounded bg-slate-200 px-1 text-slate-800">repeat</span>}
                <br />
                <span className="text-xs text-slate-600">{r.originalName}</span>
              </td>
              <td className="p-2">
                {STATUS[r.status]}
                {r.flagged && <span className="ml-1 rounded bg-amber-100 px-1 text-amber-900">flagged</span>}
              </td>
              <td className="p-2">{r.slot ? `Model ${r.slot}` : "—"}</td>
              <td className="p-2">{r.arm ?? (r.option ? OPTION[r.option] : "—")}</td>
              <td className="p-2 whitespace-pre-wrap">{r.rationale || "—"}</td>
              <td className="p-2">{r.confidence ?? "—"}</td>
              <td className="p-2">{formatDuration(r.serverTimeMs)}</td>
              <td className="p-2">{r.submittedAt ? formatMoment(r.submittedAt) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
