// One table of the study report as CSV (`models.csv`, `preference.csv`, …); coordinators of the study only.
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { reportTableCsv } from "@/lib/export/report-tables";
import { downloadResponse } from "@/lib/http/download-response";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string; table: string }> }) {
  return handle(async () => {
    const { user, studyId } = await managedStudyContext(params);
    const file = await reportTableCsv(studyId, (await params).table, user.id);
    return downloadResponse(file);
  });
}
