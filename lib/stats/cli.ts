// `stats --input <answers.csv> [--json]`: reader-study statistics from a CSV of answers.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { AnswerDataError, distinctSorted } from "./answers";
import { CsvFormatError, readAnswerRows, readerGroupsFromCsv } from "./answers-csv";
import { byReaderGroup } from "./by-reader-group";
import { rankingStatistics, ratingStatistics } from "./question-statistics";
import { formatRankingTable, formatRatingTable } from "./question-table";
import { summarize, summarizeByGroup, type SummaryOptions } from "./summary";
import { formatGroupTables, formatSummaryTable } from "./summary-table";
import { rankingAnswersFromRows, ratingAnswersFromRows } from "./tidy-answers";
import { intraReaderAgreementOfAnswers, intraReaderByGroup } from "./intra-reader-agreement";
import { formatIntraReaderGroups, formatIntraReaderTable } from "./intra-reader-table";

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit code for bad arguments, unreadable files and malformed input. */
export const EXIT_USAGE = 2;

class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function buildCommand(output: CliOutput): Command {
  return new Command("stats")
    .description(
      "Reader-study statistics (shares, chi-square, agreement; ratings and rankings) from a CSV of answers or a tidy export",
    )
    .requiredOption(
      "--input <file>",
      "CSV with case_id, reader_id and choice columns (empty choice = missing), or the study's tidy export",
    )
    .option("--question <id>", "with the tidy export: the question whose answers to analyse (default best_map)")
    .option("--json", "print the summary as JSON")
    .option("--compact", "with --json: one line instead of indented JSON")
    .option("--choices <list>", "comma-separated list of every possible choice (e.g. all arms), so unchosen ones count")
    .option("--by <column>", "also break the statistics down by this CSV column (e.g. specialty)")
    .option("--draws <n>", "Monte Carlo draws for the exact multinomial p when enumeration is too large")
    .option("--seed <n>", "Monte Carlo seed")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr });
}

/**
 * Runs the `stats` command. `argv` holds the arguments after the program name; a leading "stats" (as passed
 * on by a multi-command CLI) is accepted. Returns the exit code instead of exiting, so it can be embedded.
 */
export async function runStatsCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const args = argv[0] === "stats" ? argv.slice(1) : argv;
  const command = buildCommand(output);
  try {
    command.parse(args, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    throw error;
  }
  const opts = command.opts<{
    input: string;
    json?: boolean;
    compact?: boolean;
    choices?: string;
    by?: string;
    question?: string;
    draws?: string;
    seed?: string;
  }>();

  try {
    if (opts.compact && !opts.json) throw new UsageError("--compact only applies together with --json");
    const draws = positiveInteger("--draws", opts.draws);
    const seed = positiveInteger("--seed", opts.seed);
    let text: string;
    try {
      text = await readFile(opts.input, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
      throw new UsageError(`cannot read input file "${opts.input}": ${reason}`);
    }
    const readOptions = { question: opts.question };
    const { answers, repeated, leftOut, rows, question } = readAnswerRows(text, readOptions);
    // Stderr, so that --json output stays the page's summary, digit for digit.
    for (const r of leftOut) {
      output.stderr(`stats: reader "${r.readerId}" is ${r.status}; their ${r.answers} answer(s) are left out\n`);
    }
    const choices =
      opts.choices === undefined
        ? undefined
        : opts.choices
            .split(",")
            .map((c) => c.trim())
            .filter((c) => c !== "");
    const indent = opts.compact ? undefined : 2;
    if (question?.type === "rating" || question?.type === "ranking") {
      const groups = opts.by === undefined ? undefined : readerGroupsFromCsv(text, opts.by, readOptions);
      const arms = choices ?? distinctSorted(rows.map((r) => r.values["arm"].trim()));
      const analyse =
        question.type === "rating"
          ? (part: typeof rows) => ratingStatistics(ratingAnswersFromRows(part), arms)
          : (part: typeof rows) => rankingStatistics(rankingAnswersFromRows(part), arms);
      const format = (value: ReturnType<typeof analyse>) =>
        value.kind === "rating" ? formatRatingTable(value) : formatRankingTable(value);
      const overall = analyse(rows);
      const byGroup =
        groups === undefined
          ? undefined
          : byReaderGroup(
              rows.map((r) => ({ ...r, readerId: r.values["reader_id"].trim() })),
              groups,
              (part) => analyse(part),
            );
      if (opts.json) {
        const document =
          byGroup === undefined ? overall : { ...overall, by_group: { column: opts.by, groups: byGroup } };
        output.stdout(`${JSON.stringify(document, null, indent)}\n`);
      } else {
        output.stdout(format(overall));
        for (const g of byGroup ?? [])
          output.stdout(`\n=== ${opts.by}: ${g.group} (${g.n_readers} readers) ===\n${format(g.result)}`);
      }
      return 0;
    }
    const summaryOptions: SummaryOptions = { choices, exact: { draws, seed } };
    const summary = summarize(answers, summaryOptions);
    const groupOf = opts.by === undefined ? undefined : readerGroupsFromCsv(text, opts.by, readOptions);
    const groups = groupOf === undefined ? undefined : summarizeByGroup(answers, groupOf, summaryOptions);
    // Intra-reader agreement when the export has repeated readings (the results page's figure, digit for digit).
    const intra = repeated.length === 0 ? undefined : intraReaderAgreementOfAnswers(answers, repeated, choices);
    const intraGroups = intra === undefined || groupOf === undefined ? undefined : intraReaderByGroup(intra, groupOf);

    if (opts.json) {
      const document = {
        ...summary,
        ...(groups === undefined ? {} : { by_group: { column: opts.by, groups } }),
        ...(intra === undefined ? {} : { intra_reader: intra }),
        ...(intraGroups === undefined ? {} : { intra_reader_by_group: { column: opts.by, groups: intraGroups } }),
      };
      output.stdout(`${JSON.stringify(document, null, indent)}\n`);
    } else {
      output.stdout(formatSummaryTable(summary));
      if (groups !== undefined) output.stdout(`\n${formatGroupTables(opts.by!, groups)}`);
      if (intra !== undefined) output.stdout(`\n${formatIntraReaderTable(intra)}`);
      if (intraGroups !== undefined) output.stdout(formatIntraReaderGroups(opts.by!, intraGroups));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CsvFormatError || error instanceof AnswerDataError) {
      output.stderr(`stats: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

// Allows `npx tsx lib/stats/cli.ts --input answers.csv` as well as embedding in the main CLI.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runStatsCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
