// focus localisation --dataset <name> [--job <id>] [--json]: the localisation summary of the dataset's heat-maps.
import type { Command } from "commander";
import { findDatasetByName } from "@/lib/datasets/dataset-queries";
import { datasetLocalisation, type DatasetLocalisation } from "@/lib/jobs/localisation-summary";
import type { MetricWithChance } from "@/lib/stats/localisation-summary";
import { withDatabase } from "./database-session";

function metricText(m: MetricWithChance): string {
  if (m.value === null) return "—";
  const ci = m.ci ? ` [${m.ci.low.toFixed(3)}, ${m.ci.high.toFixed(3)}]` : "";
  return `${m.value.toFixed(3)}${ci} (chance ${m.chance!.toFixed(3)})`;
}

export function localisationText(datasetName: string, l: DatasetLocalisation): string {
  const lines = [`Localisation of the heat-maps of "${datasetName}" (Grad-CAM, target = ground truth):`];
  if (l.rows.length === 0)
    lines.push("  no scored heat-maps yet: render maps of masked validation or test images (focus heatmaps).");
  for (const r of l.rows) {
    const s = r.summary;
    lines.push(
      `  ${r.variant.toLowerCase()} · ${r.split.toLowerCase()} · ${r.runs} run(s), ${s.maps} map(s) of ${s.images} image(s)` +
        (s.blank ? `, ${s.blank} blank (not scored)` : ""),
      `    pointing game   ${metricText(s.pointingGame)}`,
      `    energy in mask  ${metricText(s.energyInMask)}`,
      `    top-15 % IoU    ${metricText(s.topIou)}`,
    );
  }
  const boot = l.rows[0]?.summary.bootstrap;
  if (boot)
    lines.push(`95 % intervals: percentile bootstrap over images, ${boot.resamples} resamples, seed ${boot.seed}.`);
  if (l.unrecorded)
    lines.push(`${l.unrecorded} older map(s) lack chance levels and are left out; re-render them with --force.`);
  return lines.join("\n");
}

export function registerLocalisation(program: Command): void {
  program
    .command("localisation")
    .description("pointing game, energy in mask and top-15 % IoU per variant and split, with chance and 95 % CIs")
    .requiredOption("--dataset <name>", "dataset name")
    .option("--job <id>", "only the runs of this training job")
    .option("--json", "print JSON")
    .action(async (o: { dataset: string; job?: string; json?: boolean }) => {
      await withDatabase(async () => {
        const dataset = await findDatasetByName(o.dataset);
        const summary = await datasetLocalisation(dataset.id, { jobId: o.job });
        if (o.json) console.log(JSON.stringify({ dataset: dataset.name, ...summary }, null, 2));
        else console.log(localisationText(dataset.name, summary));
      });
    });
}
