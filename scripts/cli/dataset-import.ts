// focus dataset:import <folder> --name <name> --positive <class> [--modality] [--size] [--seed]
import type { Command } from "commander";
import { Modality } from "@/lib/db/client";
import { importFolderDataset } from "@/lib/datasets/import-folder";
import { splitCounts } from "@/lib/datasets/dataset-queries";
import { choiceOption, integerOption } from "./arguments";
import { withDatabase } from "./database-session";

export function registerDatasetImport(program: Command): void {
  program
    .command("dataset:import")
    .description("import a folder with one sub-folder per class (e.g. yes/ and no/) as a dataset")
    .argument("<folder>", "folder holding exactly two class folders")
    .requiredOption("--name <name>", "unique dataset name")
    .requiredOption("--positive <class>", "name of the class folder with the positive cases (label 1)")
    .option("--modality <modality>", `one of ${Object.values(Modality).join(", ")}`, choiceOption("--modality", Object.values(Modality)), "OTHER")
    .option("--size <px>", "stored square image side in pixels", integerOption("--size", 16, 1024), 224)
    .option("--seed <n>", "seed of the stratified 80/20 train/validation split", integerOption("--seed", 0, 2 ** 31 - 1), 42)
    .option("--json", "print the dataset as JSON")
    .action(async (folder: string, o: { name: string; positive: string; modality: Modality; size: number; seed: number; json?: boolean }) => {
      await withDatabase(async () => {
        // Whoever runs the CLI has a shell and reads these files anyway: no import roots here.
        const input = { folder, name: o.name, positive: o.positive, modality: o.modality, size: o.size, splitSeed: o.seed };
        const result = await importFolderDataset(input, { scope: "any-path" });
        const counts = await splitCounts(result.dataset.id);
        if (o.json) {
          console.log(JSON.stringify({ id: result.dataset.id, name: result.dataset.name, classNames: result.dataset.classNames, counts, skipped: result.skipped, warnings: result.warnings }, null, 2));
          return;
        }
        console.log(`Imported "${result.dataset.name}" (${result.dataset.id}), classes ${result.dataset.classNames.join(" / ")}, ${o.size} px.`);
        for (const c of counts) console.log(`  ${c.split.padEnd(10)} ${result.dataset.classNames[c.label].padEnd(12)} ${c.count}`);
        for (const w of result.warnings) console.log(`  warning: ${w.relativePath}: ${w.message}`);
        if (result.skipped.length) {
          console.log(`Skipped ${result.skipped.length} file(s):`);
          for (const s of result.skipped) console.log(`  ${s.path}: ${s.reason}`);
        }
      });
    });
}
