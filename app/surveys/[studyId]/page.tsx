import { notFound, redirect } from "next/navigation";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors/domain-error";
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
    if (isDomainError(e, "not-found")) notFound();
    throw e;
  }
  redirect(next === null ? `/surveys/${studyId}/done` : `/surveys/${studyId}/case/${next}`);
}
