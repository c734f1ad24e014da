// focus dataset:synthetic --name <name> --count <n> --size <px> --seed <n>
import type { Command } from "commander";
import { createSyntheticDataset } from "@/lib/datasets/synthetic-dataset";
import { splitCounts } from "@/lib/datasets/dataset-queries";
import { integerOption } from "./arguments";
import { withDatabase } from "./database-session";

export function registerDatasetSynthetic(program: Command): void {
  program
    .command("dataset:synthetic")
    .description("generate the built-in synthetic dermoscopy set (with lesion masks) as a dataset")
    .requiredOption("--name <name>", "unique dataset name")
    .option("--count <n>", "number of images (half malignant)", integerOption("--count", 4, 20000), 200)
    .option("--size <px>", "square image side in pixels", integerOption("--size", 16, 1024), 64)
    .option("--seed <n>", "generator seed (also the split seed)", integerOption("--seed", 0, 2 ** 31 - 1), 1)
    .option("--json", "print the dataset as JSON")
    .action(async (o: { name: string; count: number; size: number; seed: number; json?: boolean }) => {
      await withDatabase(async () => {
        const dataset = await createSyntheticDataset({ name: o.name, count: o.count, size: o.size, seed: o.seed });
        const counts = await splitCounts(dataset.id);
        if (o.json) {
          console.log(
            JSON.stringify({ id: dataset.id, name: dataset.name, classNames: dataset.classNames, counts }, null, 2),
          );
          return;
        }
        console.log(
          `Created "${dataset.name}" (${dataset.id}): ${o.count} synthetic images at ${o.size} px with masks.`,
        );
        for (const c of counts)
          console.log(`  ${c.split.padEnd(10)} ${dataset.classNames[c.label].padEnd(12)} ${c.count}`);
      });
    });
}
