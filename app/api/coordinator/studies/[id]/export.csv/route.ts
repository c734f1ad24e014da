// Every submitted answer of the study as CSV; each download is written to the audit log.
import { requireApiRole } from "@/lib/auth/session";
import { handle } from "@/lib/http/handler";
import { manageableStudy } from "@/lib/studies/study-builder";
import { exportStudyAnswers } from "@/lib/export/answers-export";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const user = await requireApiRole("COORDINATOR", "ADMIN");
    const { id } = await params;
    await manageableStudy(user, id);
    const file = await exportStudyAnswers(id, "csv", user.id);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
