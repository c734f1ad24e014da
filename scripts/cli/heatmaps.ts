// focus heatmaps --runs <ids> --images <split|ids> [--force] [--wait]
import type { Command } from "commander";
import { enqueueHeatmaps } from "@/lib/jobs/enqueue";
import { parseHeatmapsRequest } from "@/lib/jobs/job-inputs";
import { countHeatmaps, heatmapJobsProgress } from "@/lib/jobs/progress";
import { getBoss } from "@/lib/jobs/queues";
import { listOption } from "./arguments";
import { withDatabase } from "./database-session";
import { LiveLines, progressBar } from "./progress-bar";

const SPLITS = ["TRAIN", "VALIDATION", "TEST"] as const;

/** A split name (train, validation, val, test) or a comma-separated list of image ids. */
export function parseImages(value: string): { split: (typeof SPLITS)[number] } | { imageIds: string[] } {
  const v = value.trim().toUpperCase();
  if (v === "VAL") return { split: "VALIDATION" };
  const split = SPLITS.find((s) => s === v);
  return split ? { split } : { imageIds: listOption(value) };
}

export function registerHeatmaps(program: Command): void {
  program
    .command("heatmaps")
    .description("queue Grad-CAM heat-maps (target = ground-truth class) for runs and images")
    .requiredOption("--runs <ids>", "comma-separated model run ids (SUCCEEDED)", listOption)
    .requiredOption("--images <split|ids>", "train, validation or test, or comma-separated image ids", parseImages)
    .option("--force", "recompute maps that already exist")
    .option("--wait", "follow progress until the maps are done")
    .action(async (o: { runs: string[]; images: ReturnType<typeof parseImages>; force?: boolean; wait?: boolean }) => {
      const code = await withDatabase(async () => {
        const queued = await enqueueHeatmaps(
          parseHeatmapsRequest({ runIds: o.runs, ...o.images, force: o.force === true }),
        );
        const expected = queued.images;
        console.log(`Queued ${queued.jobIds.length} heat-map job(s): ${expected} map(s) for ${o.runs.length} run(s).`);
        if (!o.wait) return 0;
        const boss = await getBoss();
        const lines = new LiveLines();
        const imageIds = "imageIds" in o.images ? o.images.imageIds : undefined;
        for (;;) {
          const state = await heatmapJobsProgress(boss, queued.jobIds);
          const done = Math.min(expected, await countHeatmaps(o.runs, imageIds));
          lines.update([
            `heat-maps ${progressBar(done, expected)} ${done}/${expected}  jobs: ${state.completed} done, ${state.pending} pending, ${state.failed} failed`,
          ]);
          if (state.pending === 0) return state.failed > 0 ? 1 : 0;
          await new Promise((r) => setTimeout(r, 2000));
        }
      });
      process.exitCode = code;
    });
}
