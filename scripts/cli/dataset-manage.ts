// focus dataset:rename <name> --to <new name>
// focus dataset:delete <name> --yes   (refused while a study uses the dataset; audited, actor: the CLI)
import type { Command } from "commander";
import { deleteDataset, renameDataset } from "@/lib/datasets/dataset-lifecycle";
import { deleteDatasetInputSchema, renameDatasetInputSchema } from "@/lib/datasets/dataset-inputs";
import { findDatasetByName } from "@/lib/datasets/dataset-queries";
import { usageError } from "./arguments";
import { withDatabase } from "./database-session";

export function registerDatasetManage(program: Command): void {
  program
    .command("dataset:rename")
    .description("rename a dataset (names stay unique)")
    .argument("<name>", "the dataset's current name")
    .requiredOption("--to <name>", "the new name")
    .action(async (name: string, o: { to: string }) => {
      await withDatabase(async () => {
        const dataset = await findDatasetByName(name);
        const input = renameDatasetInputSchema.parse({ datasetId: dataset.id, name: o.to });
        const { from, to } = await renameDataset(input, null);
        console.log(`Renamed "${from}" to "${to}".`);
      });
    });
  program
    .command("dataset:delete")
    .description("delete a dataset with its images, runs and heat-maps (refused while a study uses it)")
    .argument("<name>", "the dataset's name")
    .option("--yes", "confirm the deletion")
    .option("--json", "print what was deleted as JSON")
    .action(async (name: string, o: { yes?: boolean; json?: boolean }) => {
      if (!o.yes) throw usageError(`Deleting "${name}" removes its images, runs and heat-maps; add --yes to confirm.`);
      await withDatabase(async () => {
        const dataset = await findDatasetByName(name);
        const input = deleteDatasetInputSchema.parse({ datasetId: dataset.id, confirmName: dataset.name });
        const result = await deleteDataset(input, null);
        if (o.json) console.log(JSON.stringify(result, null, 2));
        else
          console.log(
            `Deleted "${result.name}": ${result.images} image(s), ${result.runs} run(s); ${result.filesRemoved} stored file(s) removed.`,
          );
      });
    });
}
