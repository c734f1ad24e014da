// A finished run's per-image predictions (validation and test) as CSV; researchers are not blinded.
import { requireApiRole } from "@/lib/auth/session";
import { handle } from "@/lib/http/handler";
import { runPredictionsCsv } from "@/lib/export/run-predictions-csv";
import { downloadResponse } from "@/lib/http/download-response";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const user = await requireApiRole("RESEARCHER", "ADMIN");
    const { id } = await params;
    const file = await runPredictionsCsv(id, user.id);
    return downloadResponse(file);
  });
}
