// The results page's numbers as JSON (same object the page renders), for scripts and live dashboards.
import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { handle } from "@/lib/http/handler";
import { manageableStudy } from "@/lib/studies/study-builder";
import { studyResults } from "@/lib/studies/results";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const user = await requireApiRole("COORDINATOR", "ADMIN");
    const { id } = await params;
    await manageableStudy(user, id);
    const { rows: _rows, ...results } = await studyResults(id);
    return NextResponse.json(results, { headers: { "Cache-Control": "private, no-store" } });
  });
}
