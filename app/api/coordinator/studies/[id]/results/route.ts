// The results page's numbers as JSON (same object the page renders), for scripts and live dashboards.
import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { studyResults } from "@/lib/studies/results";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { studyId } = await managedStudyContext(params);
    const { rows: _rows, ...results } = await studyResults(studyId);
    return NextResponse.json(results, { headers: { "Cache-Control": "private, no-store" } });
  });
}
