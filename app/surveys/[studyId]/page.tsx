import { notFound, redirect } from "next/navigation";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { nextOpenCase } from "@/lib/studies/reader-survey";

export const dynamic = "force-dynamic";

export default async function StudyEntry({ params }: { params: Promise<{ studyId: string }> }) {
  const user = await requireRole("SPECIALIST");
  const { studyId } = await params;
  if (!sessionGrantsStudy(user, studyId)) notFound();
  const next = await orNotFound(() => nextOpenCase(user.id, studyId));
  redirect(next === null ? `/surveys/${studyId}/done` : `/surveys/${studyId}/case/${next}`);
}
