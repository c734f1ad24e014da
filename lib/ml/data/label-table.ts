// Label tables as published with medical image sets: CSV or TSV with a header row, mapping an image id (or
// path) to a label and optionally to a split, a group (patient, lesion) and a mask. Parsing goes through
// csv-parse because real files carry quoted fields, a BOM, CRLF line ends and ';' or tab separators.
import { parse } from "csv-parse/sync";
import { DomainError } from "../../errors/domain-error";

export interface LabelTable {
  /** Header cells, trimmed, in file order. */
  columns: string[];
  delimiter: string;
  /** Data rows with their 1-based line number in the file (header = line 1). */
  rows: Array<{ line: number; cells: Record<string, string> }>;
}

const DELIMITERS = [",", ";", "\t"] as const;

/** File names an import treats as label tables (zip uploads extract them; the console offers them). */
export const LABEL_TABLE_EXTENSIONS: ReadonlySet<string> = new Set([".csv", ".tsv"]);

/** The separator that splits the header line into the most cells (quotes aside, headers rarely contain any). */
export function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  let best: string = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = header.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Parses a label table; a file that is not a table at all (or has no header) is an invalid input naming it. */
export function parseLabelTable(bytes: Uint8Array | string, fileName: string): LabelTable {
  const text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8").decode(bytes);
  const delimiter = detectDelimiter(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      trim: true,
      // Short rows are reported per row by the importer instead of failing the whole table.
      relax_column_count: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw DomainError.invalid(`Label table ${fileName} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (records.length === 0) throw DomainError.invalid(`Label table ${fileName} is empty (a header row is needed).`);
  const columns = records[0].record.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === "") throw DomainError.invalid(`Label table ${fileName} has an empty column name in its header.`);
    if (seen.has(c)) throw DomainError.invalid(`Label table ${fileName} has the column "${c}" twice.`);
    seen.add(c);
  }
  const rows = records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ""])),
  }));
  return { columns, delimiter, rows };
}

/** The column names a mapping refers to must exist; the message lists the ones that do. */
export function requireColumns(table: LabelTable, fileName: string, wanted: Record<string, string | undefined>): void {
  for (const [flag, column] of Object.entries(wanted)) {
    if (column !== undefined && !table.columns.includes(column)) {
      throw DomainError.invalid(`${flag} "${column}" is not a column of ${fileName}; its columns are: ${table.columns.join(", ")}.`);
    }
  }
}

export type GivenSplit = "TRAIN" | "VALIDATION" | "TEST";

const SPLIT_SPELLINGS: Record<string, GivenSplit> = {
  train: "TRAIN",
  training: "TRAIN",
  val: "VALIDATION",
  valid: "VALIDATION",
  validation: "VALIDATION",
  test: "TEST",
  testing: "TEST",
};

/** The usual spellings of a split name (folder or table cell), or undefined. */
export function splitOfName(name: string): GivenSplit | undefined {
  return SPLIT_SPELLINGS[name.trim().toLowerCase()];
}
