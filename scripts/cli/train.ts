// focus train --dataset <name> --variants baseline,se,cbam,gc --seeds 3 [--epochs ...] [--preset cpu-quick] [--wait]
import { InvalidArgumentError, type Command } from "commander";
import { findDatasetByName } from "@/lib/datasets/dataset-queries";
import { EXIT_USAGE } from "@/lib/errors/exit-code";
import { enqueueTraining } from "@/lib/jobs/enqueue";
import { estimateTrainingRequest } from "@/lib/jobs/estimate-queries";
import { cpuConfirmationMessage, describeEstimate } from "@/lib/jobs/training-estimate";
import { parseTrainingRequest, seedCountSchema } from "@/lib/jobs/job-inputs";
import { VARIANTS } from "@/lib/ml/models/architecture";
import {
  CLASS_WEIGHTINGS,
  TRAINING_PRESETS,
  trainParamsSchema,
  type ClassWeighting,
  type TrainParams,
} from "@/lib/ml/train/train-params";
import { choiceOption, integerOption, listOption, schemaNumberOption } from "./arguments";
import { withDatabase } from "./database-session";
import { followRuns } from "./follow-runs";

const PRESETS: Record<string, Partial<TrainParams>> = TRAINING_PRESETS;
const PARAM = trainParamsSchema.shape;

/** "3" means three seeds (1, 2, 3); "7,11" means exactly those seeds. */
export function parseSeeds(value: string): number | number[] {
  if (/^\d+$/.test(value.trim())) return schemaNumberOption("--seeds", seedCountSchema)(value);
  const list = listOption(value);
  if (!list.every((s) => /^\d+$/.test(s)))
    throw new InvalidArgumentError(
      `--seeds must be a count (e.g. 3) or a comma-separated list of seeds (e.g. 7,11), got "${value}".`,
    );
  return list.map((s) => integerOption("--seeds", 0, 2 ** 31 - 1)(s));
}

function parseVariants(value: string): string[] {
  const list = listOption(value).map((v) => v.toLowerCase());
  const bad = list.filter((v) => !(VARIANTS as readonly string[]).includes(v));
  if (bad.length)
    throw new InvalidArgumentError(`unknown variant(s) ${bad.join(", ")}; expected some of ${VARIANTS.join(", ")}.`);
  return list;
}

interface TrainOptions {
  dataset: string;
  variants: string[];
  seeds: number | number[];
  epochs?: number;
  size?: number;
  width?: number;
  batch?: number;
  lr?: number;
  classWeighting?: ClassWeighting;
  preset?: string;
  wait?: boolean;
  json?: boolean;
  confirmCpu?: boolean;
  estimateOnly?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("queue training runs (one per variant x seed); workers pick them up")
    .requiredOption("--dataset <name>", "dataset name")
    .option("--variants <list>", `comma-separated, of ${VARIANTS.join(", ")}`, parseVariants, [...VARIANTS])
    .option("--seeds <n|list>", "number of seeds (1..n) or a comma-separated list", parseSeeds, 3)
    .option(
      "--preset <name>",
      `start from a preset: ${Object.keys(PRESETS).join(", ")} (paper = the paper's protocol)`,
      choiceOption("--preset", Object.keys(PRESETS)),
    )
    // Bounded by the trainer's own schema: the form, the CLI and the worker refuse the same values.
    .option("--epochs <n>", "epochs (paper: 100)", schemaNumberOption("--epochs", PARAM.epochs.unwrap()))
    .option("--size <px>", "input size (paper: 224)", schemaNumberOption("--size", PARAM.inputSize.unwrap()))
    .option("--width <w>", "channel width multiplier (paper: 1)", schemaNumberOption("--width", PARAM.width.unwrap()))
    .option("--batch <n>", "batch size (paper: 64)", schemaNumberOption("--batch", PARAM.batchSize.unwrap()))
    .option(
      "--lr <rate>",
      "initial learning rate (paper: 0.05)",
      schemaNumberOption("--lr", PARAM.learningRate.unwrap()),
    )
    .option(
      "--class-weighting <w>",
      `loss weighting: ${CLASS_WEIGHTINGS.join(", ")} (paper: none; balanced = N / (2 N_class) per image)`,
      choiceOption("--class-weighting", CLASS_WEIGHTINGS),
    )
    .option("--confirm-cpu", "start the paper's protocol (224 px, full width) even though no GPU worker is online")
    .option("--estimate-only", "print the estimated time on the workers online and queue nothing")
    .option("--wait", "follow progress until every run has ended")
    .option("--json", "print the job and its runs as JSON")
    .action(async (o: TrainOptions) => {
      const params: Partial<TrainParams> = { ...(o.preset ? PRESETS[o.preset] : {}) };
      if (o.epochs !== undefined) params.epochs = o.epochs;
      if (o.size !== undefined) params.inputSize = o.size;
      if (o.width !== undefined) params.width = o.width;
      if (o.batch !== undefined) params.batchSize = o.batch;
      if (o.lr !== undefined) params.learningRate = o.lr;
      if (o.classWeighting !== undefined) params.classWeighting = o.classWeighting;
      const code = await withDatabase(async () => {
        const dataset = await findDatasetByName(o.dataset);
        const request = parseTrainingRequest({
          datasetId: dataset.id,
          variants: o.variants,
          seeds: o.seeds,
          params,
          confirmCpu: o.confirmCpu === true,
        });
        // Before anything is queued: how long it takes on the workers online, from this installation's runs.
        const estimate = await estimateTrainingRequest(request);
        if (o.estimateOnly) {
          if (o.json) console.log(JSON.stringify({ estimate }, null, 2));
          else for (const line of describeEstimate(estimate)) console.log(line);
          if (estimate.needsCpuConfirmation) console.log(`${cpuConfirmationMessage(estimate)} (--confirm-cpu)`);
          return 0;
        }
        if (!o.json) for (const line of describeEstimate(estimate)) console.log(`Estimate: ${line}`);
        if (estimate.needsCpuConfirmation && !request.confirmCpu) {
          console.error(`${cpuConfirmationMessage(estimate)} To start it anyway: add --confirm-cpu.`);
          return EXIT_USAGE;
        }
        const job = await enqueueTraining(request);
        if (o.json)
          console.log(
            JSON.stringify(
              {
                jobId: job.id,
                params: job.params,
                runs: job.runs.map((r) => ({ id: r.id, variant: r.variant, seed: r.seed })),
                estimate,
              },
              null,
              2,
            ),
          );
        else {
          console.log(`Queued training job ${job.id} on "${dataset.name}": ${job.runs.length} run(s).`);
          for (const r of job.runs) console.log(`  ${r.id}  ${r.variant.toLowerCase()} seed ${r.seed}`);
        }
        if (!o.wait) return 0;
        const runs = await followRuns({ jobId: job.id });
        const failed = runs.filter((r) => r.status === "FAILED").length;
        console.log(failed ? `${failed} run(s) failed.` : "All runs ended.");
        return failed ? 1 : 0;
      });
      process.exitCode = code;
    });
}
