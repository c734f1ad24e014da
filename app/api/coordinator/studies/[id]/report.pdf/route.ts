// The study report printed to PDF by the local Chromium (503 naming FOCUS_CHROMIUM_PATH when there is none).
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { studyReportHtml } from "@/lib/export/study-report";
import { htmlToPdf } from "@/lib/export/report-pdf";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { studyId } = await managedStudyContext(params);
    const pdf = await htmlToPdf(await studyReportHtml(studyId, { pdfAvailable: true, forPrint: true }));
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="focus-study-${studyId}-report.pdf"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
