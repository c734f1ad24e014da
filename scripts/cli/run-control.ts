// focus cancel --runs <ids> | --job <id>;  focus retry --runs <ids>
import type { Command } from "commander";
import { cancelRun, cancelTrainingJob, retryRun } from "@/lib/jobs/run-control";
import { listOption, usageError } from "./arguments";
import { withDatabase } from "./database-session";

export function registerRunControl(program: Command): void {
  program
    .command("cancel")
    .description("cancel training runs (queued: at once; running: at the next batch, keeping the checkpoint)")
    .option("--runs <ids>", "comma-separated model run ids", listOption)
    .option("--job <id>", "every run of a training job")
    .action(async (o: { runs?: string[]; job?: string }) => {
      if (!o.runs === !o.job) throw usageError("give either --runs or --job.");
      await withDatabase(async () => {
        if (o.job) {
          const outcomes = await cancelTrainingJob(o.job);
          console.log(`job ${o.job}: ${outcomes.join(", ") || "no runs"}`);
          return;
        }
        for (const id of o.runs!) console.log(`${id}: ${await cancelRun(id)}`);
      });
    });
  program
    .command("retry")
    .description("queue FAILED or CANCELLED runs again; they resume from their last checkpoint")
    .requiredOption("--runs <ids>", "comma-separated model run ids", listOption)
    .action(async (o: { runs: string[] }) => {
      await withDatabase(async () => {
        for (const id of o.runs) {
          await retryRun(id);
          console.log(`${id}: queued`);
        }
      });
    });
}
