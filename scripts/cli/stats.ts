// focus stats ...: delegates to lib/stats/cli.ts (runStatsCli(argv)) when that module exists.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Command } from "commander";
import { usageError } from "./arguments";

const STATS_CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "lib", "stats", "cli.ts");

export function registerStats(program: Command): void {
  program
    .command("stats")
    .description("study statistics (see `focus stats --help`)")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]", "passed to the statistics command")
    .action(async (args: string[]) => {
      if (!existsSync(STATS_CLI))
        throw usageError("the stats command is not available in this build (lib/stats/cli.ts is missing).");
      // A computed specifier keeps this file compiling before lib/stats/cli.ts exists.
      const mod = (await import(pathToFileURL(STATS_CLI).href)) as { runStatsCli?: (argv: string[]) => unknown };
      if (typeof mod.runStatsCli !== "function")
        throw usageError("lib/stats/cli.ts does not export runStatsCli(argv).");
      const code = await mod.runStatsCli(args);
      if (typeof code === "number") process.exitCode = code;
    });
}
