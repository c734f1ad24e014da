// The study report as print-ready HTML; it names the models, so only the study's coordinators get it.
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { studyReportHtml } from "@/lib/export/study-report";
import { chromiumPath } from "@/lib/export/report-pdf";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { studyId } = await managedStudyContext(params);
    const html = await studyReportHtml(studyId, { pdfAvailable: chromiumPath() !== null });
    return new Response(html, {
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
