// focus dataset:import <folder> --name <name> --positive <class|values> [--modality] [--size] [--seed]
//   [--labels file.csv --image-column c --label-column c --negative values [--split-column c] [--group-column c]
//    [--mask-column c]] [--group-pattern re] [--mask-pattern '{id}_lesion'] [--resplit] [--fit cover|contain]
//   [--window center,width]
import type { Command } from "commander";
import { Modality } from "@/lib/db/client";
import { importFolderDataset } from "@/lib/datasets/import-folder";
import { splitCounts } from "@/lib/datasets/dataset-queries";
import { choiceOption, integerOption } from "./arguments";
import { withDatabase } from "./database-session";

interface ImportOptions {
  name: string;
  positive: string;
  modality: Modality;
  size: number;
  seed: number;
  json?: boolean;
  labels?: string;
  imageColumn?: string;
  labelColumn?: string;
  negative?: string;
  splitColumn?: string;
  groupColumn?: string;
  maskColumn?: string;
  groupPattern?: string;
  maskPattern?: string;
  resplit?: boolean;
  fit: "cover" | "contain";
  window?: string;
}

export function registerDatasetImport(program: Command): void {
  program
    .command("dataset:import")
    .description(
      "import a folder of class folders, split folders (train/val/test/<class>) or images with a label table",
    )
    .argument("<folder>", "folder holding two class folders, split folders, or images named in --labels")
    .requiredOption("--name <name>", "unique dataset name")
    .requiredOption(
      "--positive <class>",
      "class folder of the positive cases (label 1), or with --labels their label values (a,b)",
    )
    .option("--labels <file>", "CSV or TSV label table with a header (path relative to the folder, or any path)")
    .option("--image-column <name>", "label table column with the image id or path (extension optional)")
    .option("--label-column <name>", "label table column with the label value")
    .option(
      "--negative <values>",
      "with --labels: comma-separated label values of the negative class; other values are skipped",
    )
    .option("--split-column <name>", "label table column with train/validation/test")
    .option("--group-column <name>", "label table column with the patient or lesion id (kept on one side of the split)")
    .option("--mask-column <name>", "label table column with the mask's path")
    .option("--group-pattern <regex>", "file-name pattern whose first group is the patient id, e.g. 'person(\\d+)_'")
    .option(
      "--mask-pattern <pattern>",
      "mask file name with {id}, e.g. '{id}_lesion' (common ones are found without it)",
    )
    .option("--resplit", "split a given train/validation split again (a given test split stays)")
    .option(
      "--fit <fit>",
      "non-square images: cover (centre crop) or contain (pad with black); masks follow",
      choiceOption("--fit", ["cover", "contain"] as const),
      "cover",
    )
    .option("--window <center,width>", "DICOM: VOI window in modality units instead of each file's first, e.g. 40,400")
    .option(
      "--modality <modality>",
      `one of ${Object.values(Modality).join(", ")}`,
      choiceOption("--modality", Object.values(Modality)),
      "OTHER",
    )
    .option("--size <px>", "stored square image side in pixels", integerOption("--size", 16, 1024), 224)
    .option(
      "--seed <n>",
      "seed of the stratified 80/20 train/validation split",
      integerOption("--seed", 0, 2 ** 31 - 1),
      42,
    )
    .option("--json", "print the dataset as JSON")
    .action(async (folder: string, o: ImportOptions) => {
      await withDatabase(async () => {
        // Whoever runs the CLI has a shell and reads these files anyway: no import roots here.
        const input = {
          folder,
          name: o.name,
          positive: o.positive,
          modality: o.modality,
          size: o.size,
          splitSeed: o.seed,
          labels: o.labels,
          imageColumn: o.imageColumn,
          labelColumn: o.labelColumn,
          negative: o.negative,
          splitColumn: o.splitColumn,
          groupColumn: o.groupColumn,
          maskColumn: o.maskColumn,
          groupPattern: o.groupPattern,
          maskPattern: o.maskPattern,
          resplit: o.resplit === true,
          fit: o.fit,
          window: o.window,
        };
        const result = await importFolderDataset(input, { scope: "any-path" });
        const counts = await splitCounts(result.dataset.id);
        if (o.json) {
          console.log(
            JSON.stringify(
              {
                id: result.dataset.id,
                name: result.dataset.name,
                layout: result.layout,
                classNames: result.dataset.classNames,
                counts,
                report: result.dataset.importReport,
                warnings: result.warnings,
              },
              null,
              2,
            ),
          );
          return;
        }
        console.log(
          `Imported "${result.dataset.name}" (${result.dataset.id}) from ${result.layout}, classes ${result.dataset.classNames.join(" / ")}, ${o.size} px.`,
        );
        for (const c of counts)
          console.log(`  ${c.split.padEnd(10)} ${result.dataset.classNames[c.label].padEnd(12)} ${c.count}`);
        for (const w of result.warnings) console.log(`  warning: ${w.relativePath}: ${w.message}`);
        const report = result.dataset.importReport as { path: string; reason: string }[];
        if (report.length) {
          console.log(`Report (${report.length} line(s)):`);
          for (const s of report) console.log(`  ${s.path}: ${s.reason}`);
        }
      });
    });
}
