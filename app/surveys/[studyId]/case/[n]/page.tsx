import { notFound } from "next/navigation";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { readerCase } from "@/lib/studies/reader-survey";
import { SurveyCase } from "./survey-case";

export const dynamic = "force-dynamic";

export default async function CasePage({ params }: { params: Promise<{ studyId: string; n: string }> }) {
  const user = await requireRole("SPECIALIST");
  const { studyId, n } = await params;
  if (!/^\d{1,6}$/.test(n) || !sessionGrantsStudy(user, studyId)) notFound();
  const view = await orNotFound(() => readerCase(user.id, studyId, Number(n)));
  return <SurveyCase key={`${studyId}-${n}`} view={view} />;
}
