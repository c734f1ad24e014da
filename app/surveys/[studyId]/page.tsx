import { notFound, redirect } from "next/navigation";
import { requireRole, sessionGrantsStudy, HttpError } from "@/lib/auth/session";
import { nextOpenCase } from "@/lib/studies/reader-survey";

export const dynamic = "force-dynamic";

export default async function StudyEntry({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requireRole("SPECIALIST");
  const { studyId } = await params;
  if (!sessionGrantsStudy(user, studyId)) notFound();
  let next: number | null;
  try {
    next = await nextOpenCase(user.id, studyId);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) notFound();
    throw e;
  }
  redirect(next === null ? `/surveys/${studyId}/done` : `/surveys/${studyId}/case/${next}`);
}
