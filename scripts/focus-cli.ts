// `npm run -s focus -- <command>`: the model lab from a terminal. One file per command in scripts/cli/.
// Exit codes: 0 success, 1 failure (e.g. a run failed, a file could not be read), 2 bad arguments.
import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { fromZodError } from "@/lib/errors/field-errors";
import { EXIT_FAILURE, EXIT_USAGE, exitCodeOf } from "@/lib/errors/exit-code";
import { registerDatasetImport } from "./cli/dataset-import";
import { registerDatasetManage } from "./cli/dataset-manage";
import { registerDatasetSynthetic } from "./cli/dataset-synthetic";
import { registerGradcam } from "./cli/gradcam";
import { registerHeatmaps } from "./cli/heatmaps";
import { registerLocalisation } from "./cli/localisation";
import { registerModelSummary } from "./cli/model-summary";
import { registerRunControl } from "./cli/run-control";
import { registerStats } from "./cli/stats";
import { registerTrain } from "./cli/train";
import { envVar } from "../lib/config/env";

export { EXIT_USAGE };

export function buildProgram(): Command {
  const program = new Command("focus")
    .description("Focus model lab: datasets, training, heat-maps, statistics")
    .showHelpAfterError("(run with --help for usage)")
    // Before the commands are added, so they inherit it: commander throws instead of exiting.
    .exitOverride();
  registerDatasetImport(program);
  registerDatasetSynthetic(program);
  registerDatasetManage(program);
  registerTrain(program);
  registerHeatmaps(program);
  registerLocalisation(program);
  registerRunControl(program);
  registerGradcam(program);
  registerModelSummary(program);
  registerStats(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" too, with exit code 0; everything else commander rejects is usage.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    // A schema parsed without parseInput is still the user's arguments being wrong.
    const error = e instanceof ZodError ? fromZodError(e) : e;
    const code = exitCodeOf(error);
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (code === EXIT_FAILURE && envVar("FOCUS_DEBUG") === "1") console.error(e);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("focus-cli.ts")) {
  const code = await main(process.argv.slice(2));
  // Explicit exit: pg pools and tfjs timers must not keep a finished command alive.
  process.exit(code);
}
