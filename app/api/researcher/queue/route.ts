// Live state of the training queue and the workers, polled by the console every 2 s.
import { NextResponse } from "next/server";
import { z } from "zod";
import { text } from "@/lib/validation/text";
import { requireApiRole } from "@/lib/auth/session";
import { handle } from "@/lib/http/handler";
import { queueRuns, workersPanel } from "@/lib/jobs/job-queries";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  dataset: text().min(1, "dataset must not be empty").max(64, "dataset is too long").optional(),
  recent: z.coerce
    .number({ error: "recent must be a number" })
    .int("recent must be a whole number")
    .min(0, "recent must be at least 0")
    .max(500, "recent must be at most 500")
    .default(50),
});

export function GET(req: Request) {
  return handle(async () => {
    await requireApiRole("RESEARCHER", "ADMIN");
    const q = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const now = new Date();
    const [runs, workers] = await Promise.all([
      queueRuns({ datasetId: q.dataset, recent: q.recent }),
      workersPanel(now),
    ]);
    return NextResponse.json(
      { now: now.toISOString(), runs, workers },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  });
}
