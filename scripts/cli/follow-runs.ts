// Polls run rows until every run has ended, drawing one progress bar per run.
import { liveWorkers, runsProgress, TERMINAL, type RunProgress } from "@/lib/jobs/progress";
import { LiveLines, runProgressLine } from "./progress-bar";

export async function followRuns(
  where: { jobId?: string; ids?: string[] },
  opts: { intervalMs?: number } = {},
): Promise<RunProgress[]> {
  const lines = new LiveLines();
  let warned = false;
  for (;;) {
    const runs = await runsProgress(where);
    lines.update(runs.map(runProgressLine));
    if (runs.every((r) => TERMINAL.includes(r.status))) return runs;
    if (!warned && (await liveWorkers()).length === 0) {
      warned = true;
      console.error("No worker is running: start one with `npm run worker` (runs stay queued until then).");
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
}
