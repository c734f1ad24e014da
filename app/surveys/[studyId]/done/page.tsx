import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { readerStudies } from "@/lib/studies/reader-survey";

export const dynamic = "force-dynamic";

export default async function Done({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requireRole("SPECIALIST");
  const { studyId } = await params;
  if (!sessionGrantsStudy(user, studyId)) notFound();
  const study = (await readerStudies(user.id, studyId)).find((s) => s.studyId === studyId);
  if (!study) notFound();
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-center">
      <h1 className="text-2xl font-semibold">Thank you</h1>
      <p className="mt-2" data-testid="done-count">
        You answered {study.answered} of {study.total} cases in “{study.title}”.
      </p>
      {study.answered < study.total && (
        <p className="mt-1 text-slate-600">
          Some cases are still open; you can come back to them while the study is open.
        </p>
      )}
      <p className="mt-4 flex justify-center gap-4">
        <Link href={`/surveys/${studyId}/answers`} className="text-blue-700 underline">
          Review my answers
        </Link>
        <Link href="/surveys" className="text-blue-700 underline">
          Back to my studies
        </Link>
      </p>
    </div>
  );
}
