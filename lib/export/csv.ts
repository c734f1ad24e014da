// CSV writer for exports opened in spreadsheet programs. Output follows RFC 4180 (CRLF line ends, fields
// quoted when they contain a comma, quote or line break, quotes doubled). Text cells that a spreadsheet would
// run as a formula (CSV/formula injection, OWASP "CSV Injection") get a leading apostrophe.

export type CsvCell = string | number | boolean | bigint | Date | null | undefined;

export interface CsvWriteOptions {
  /** Prefix a UTF-8 byte order mark so that Excel detects the encoding (default false). */
  bom?: boolean;
}

const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** Prefixes `'` to text that starts with =, +, -, @, tab or carriage return, so it is shown, never evaluated. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]) ? `'${text}` : text;
}

function quoteIfNeeded(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Text for one cell. Only strings are neutralised: numbers, booleans and dates are written by us in a fixed
 * format (a negative number must stay a number in the spreadsheet), so they cannot carry a formula.
 */
export function formatCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return quoteIfNeeded(neutraliseFormula(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" && !Number.isFinite(value)) return "";
  return String(value);
}

/** A whole CSV document: the header, then one line per row; every line, the last included, ends in CRLF. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: CsvWriteOptions = {},
): string {
  const lines = [header.map(formatCell).join(",")];
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`CSV row ${i + 1} has ${row.length} cells but the header has ${header.length}`);
    }
    lines.push(row.map(formatCell).join(","));
  });
  return (options.bom ? "\uFEFF" : "") + lines.map((l) => `${l}\r\n`).join("");
}
