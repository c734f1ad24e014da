// The reader's case page as the study's coordinator previews it: the reader's own component, with a banner,
// fed by lib/studies/reader-preview.ts. Nothing here is stored.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { manageableStudy } from "@/lib/studies/study-access";
import { readSettings } from "@/lib/studies/study-settings";
import { previewCase, previewCaseBase } from "@/lib/studies/reader-preview";
import { SurveyCase } from "@/app/surveys/[studyId]/case/[n]/survey-case";

export const dynamic = "force-dynamic";

export default async function PreviewCasePage({ params }: { params: Promise<{ id: string; n: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id, n } = await params;
  if (!/^\d{1,6}$/.test(n)) notFound();
  const study = await orNotFound(() => manageableStudy(user, id));
  const view = await orNotFound(() => previewCase(id, Number(n)));
  const settings = readSettings(study.settings);
  const randomOrder = settings.caseOrder === "random";
  const repeated = settings.repeatedCases;
  const exit = `/coordinator/studies/${id}`;
  return (
    <div className="space-y-2">
      <p
        role="status"
        data-testid="preview-banner"
        className="flex flex-wrap items-center gap-3 rounded border border-violet-300 bg-violet-50 px-3 py-1.5 text-sm text-violet-900"
      >
        <strong>Preview as a reader.</strong>
        <span>
          Nothing you choose or type here is stored or counted.
          {randomOrder ? " Cases are in the study's order; each reader gets their own." : ""}
          {repeated > 0
            ? ` Readers then read ${repeated} of the cases again, with a fresh slot order; the preview does not repeat them.`
            : ""}
        </span>
        <Link href={exit} className="ml-auto underline">
          Leave the preview
        </Link>
      </p>
      <SurveyCase key={`preview-${id}-${n}`} view={view} preview={{ caseBase: previewCaseBase(id), exitPath: exit }} />
    </div>
  );
}
