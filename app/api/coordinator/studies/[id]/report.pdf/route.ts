// The study report printed to PDF by the local Chromium (503 naming FOCUS_CHROMIUM_PATH when there is none).
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { studyReportHtml } from "@/lib/export/study-report";
import { htmlToPdf } from "@/lib/export/report-pdf";
import { downloadResponse } from "@/lib/http/download-response";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { studyId } = await managedStudyContext(params);
    const pdf = await htmlToPdf(await studyReportHtml(studyId, { pdfAvailable: true, forPrint: true }));
    return downloadResponse({
      body: new Uint8Array(pdf),
      contentType: "application/pdf",
      filename: `focus-study-${studyId}-report.pdf`,
    });
  });
}
