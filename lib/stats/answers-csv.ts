// Reading answers from CSV files (exports of Focus itself, or spreadsheets kept by hand).
// The parser follows RFC 4180: quoted fields, "" for a quote inside quotes, line breaks inside quotes,
// CRLF records. It also accepts LF or lone CR line ends and a leading UTF-8 byte order mark, since files
// saved by spreadsheet programs use all of them.
import type { Answer } from "./answers";

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFormatError";
  }
}

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts, for error messages. */
  line: number;
}

/** Parses CSV text into records, each remembering its starting line. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const length = source.length;
  // Whether the current record has begun; distinguishes "no more records" from "one empty field" at EOF.
  let recordStarted = false;

  const endField = (): void => {
    fields.push(field);
    field = "";
  };
  const endRecord = (): void => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
    recordStarted = false;
  };

  while (i < length) {
    if (!recordStarted) {
      recordStarted = true;
      recordLine = line;
    }
    const ch = source[i];
    if (ch === '"' && field === "") {
      // Quoted field: runs to the next quote that is not doubled.
      const openedOnLine = line;
      i++;
      for (;;) {
        if (i >= length) throw new CsvFormatError(`unterminated quoted field starting on line ${openedOnLine}`);
        const c = source[i];
        if (c === '"') {
          if (source[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n" || (c === "\r" && source[i + 1] !== "\n")) line++;
        field += c;
        i++;
      }
      const next = source[i];
      if (i < length && next !== "," && next !== "\r" && next !== "\n") {
        throw new CsvFormatError(`unexpected character ${JSON.stringify(next)} after a closing quote on line ${line}`);
      }
      // An empty quoted field ("") must still count as a field even though `field` is empty.
      if (i >= length) {
        endRecord();
      }
      continue;
    }
    if (ch === ",") {
      endField();
      i++;
      if (i >= length) endRecord();
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && source[i + 1] === "\n" ? 2 : 1;
      line++;
      continue;
    }
    // A quote inside an unquoted field is kept literally (RFC 4180 forbids it, but hand-made files have it).
    field += ch;
    i++;
    if (i >= length) endRecord();
  }
  return records;
}

/** Parses CSV text into rows of fields. A final line break does not add an empty row. */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields);
}

export const REQUIRED_ANSWER_COLUMNS = ["case_id", "reader_id", "choice"] as const;

/** The columns of the study's tidy export (docs/export-codebook.md) that the statistics read. */
export const TIDY_ANSWER_COLUMNS = ["case_id", "reader", "question", "answer"] as const;

/** Reader statuses in the tidy export whose answers the results page leaves out of every statistic. */
export const LEFT_OUT_STATUSES: readonly string[] = ["revoked", "excluded"];

export interface AnswerRows {
  /** First readings only: the answers every statistic but intra-reader agreement reads. */
  answers: Answer[];
  /**
   * Answers of repeated readings (a `repeat` column other than 0 or blank), for intra-reader agreement only; they
   * are not in `answers` or `rows`.
   */
  repeated: Answer[];
  /** Every column of every answer row, keyed by normalised header name, for callers that need extra columns. */
  rows: Array<{ line: number; values: Record<string, string> }>;
  header: string[];
  /** "answers": case_id, reader_id, choice; "tidy": the study's tidy export, one question's rows. */
  format: "answers" | "tidy";
  /** Tidy export only: readers left out because of their reader_status, with how many answers they gave. */
  leftOut: { readerId: string; status: string; answers: number }[];
  /** Tidy export only: the question read (its id when the export has `question_id`, and its type). */
  question: { id: string | null; type: string } | null;
}

export interface ReadAnswerOptions {
  /**
   * Tidy export only: which question's rows are the answers, by `question_id` or by type (`question`); default
   * the best_map question. A type shared by several questions must be narrowed to one id.
   */
  question?: string;
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase();
}

function checkColumns(header: string[], required: readonly string[]): void {
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new CsvFormatError(
      `the CSV is missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(found: ${header.map((h) => JSON.stringify(h)).join(", ")})`,
    );
  }
  for (const c of required) {
    if (header.indexOf(c) !== header.lastIndexOf(c))
      throw new CsvFormatError(`the CSV has more than one "${c}" column`);
  }
}

/** Which rows of the tidy export belong to the asked question (by id, else by type), refusing ambiguity. */
function selectQuestion(records: readonly CsvRecord[], header: string[], asked = "best_map") {
  const typeCol = header.indexOf("question");
  const idCol = header.indexOf("question_id");
  const field = (r: CsvRecord, col: number) =>
    col >= 0 && r.fields.length === header.length ? r.fields[col].trim() : "";
  const byId = idCol >= 0 ? records.find((r) => field(r, idCol) === asked) : undefined;
  if (byId) {
    return {
      asked,
      id: asked,
      type: field(byId, typeCol),
      matches: (fields: readonly string[]) => fields[idCol].trim() === asked,
    };
  }
  const ids = [...new Set(records.filter((r) => field(r, typeCol) === asked).map((r) => field(r, idCol)))];
  if (ids.length > 1) {
    throw new CsvFormatError(
      `the tidy export has ${ids.length} ${asked} questions (${ids.join(", ")}): choose one by its question_id`,
    );
  }
  return {
    asked,
    id: ids.length === 1 && ids[0] !== "" ? ids[0] : null,
    type: asked,
    matches: (fields: readonly string[]) => fields[typeCol].trim() === asked,
  };
}

/**
 * Reads answers from a CSV with `case_id`, `reader_id` and `choice` columns (any order, header names matched
 * case-insensitively, other columns kept in `rows` but otherwise ignored). An empty choice is a missing
 * answer; blank lines are skipped; ids and choices are trimmed.
 *
 * The study's tidy export (columns `reader`, `case_id`, `question`, `answer`, one row per reader × case ×
 * question) is read too: the rows of `options.question` (default best_map) are the answers, `reader` is the
 * reader id, and readers whose `reader_status` is revoked or excluded are left out, as on the results page.
 */
export function readAnswerRows(text: string, options: ReadAnswerOptions = {}): AnswerRows {
  const records = parseCsvRecords(text);
  if (records.length === 0)
    throw new CsvFormatError("the CSV is empty: expected a header with case_id, reader_id and choice");
  const header = records[0].fields.map(normaliseHeader);
  const tidy = !header.includes("reader_id") && TIDY_ANSWER_COLUMNS.every((c) => header.includes(c));
  if (!tidy && options.question !== undefined) {
    throw new CsvFormatError("a question can only be chosen in the tidy export (columns reader, question, answer)");
  }
  checkColumns(header, tidy ? TIDY_ANSWER_COLUMNS : REQUIRED_ANSWER_COLUMNS);
  const question = tidy ? selectQuestion(records.slice(1), header, options.question) : null;
  const [caseCol, readerCol, choiceCol] = (tidy ? ["case_id", "reader", "answer"] : REQUIRED_ANSWER_COLUMNS).map((c) =>
    header.indexOf(c),
  );
  const statusCol = header.indexOf("reader_status");
  // A best-map row without an arm answers "none" or "cannot_decide": no arm chosen, so a missing choice for every
  // statistic over arms, as on the results page (which counts those answers apart).
  const armCol = tidy && question?.type === "best_map" ? header.indexOf("arm") : -1;
  const repeatCol = header.indexOf("repeat");
  const answers: Answer[] = [];
  const repeated: Answer[] = [];
  const rows: AnswerRows["rows"] = [];
  const leftOut = new Map<string, { status: string; answers: number }>();
  let questionRows = 0;
  for (const record of records.slice(1)) {
    if (record.fields.every((f) => f.trim() === "")) continue;
    if (record.fields.length !== header.length) {
      throw new CsvFormatError(
        `line ${record.line}: ${record.fields.length} field${record.fields.length === 1 ? "" : "s"}, but the header has ${header.length}`,
      );
    }
    if (question && !question.matches(record.fields)) continue;
    questionRows++;
    const caseId = record.fields[caseCol].trim();
    const readerId = record.fields[readerCol].trim();
    const choice = record.fields[choiceCol].trim();
    if (caseId === "") throw new CsvFormatError(`line ${record.line}: case_id is empty`);
    if (readerId === "") throw new CsvFormatError(`line ${record.line}: ${tidy ? "reader" : "reader_id"} is empty`);
    const status = tidy && statusCol >= 0 ? record.fields[statusCol].trim().toLowerCase() : "";
    if (LEFT_OUT_STATUSES.includes(status)) {
      const entry = leftOut.get(readerId) ?? { status, answers: 0 };
      entry.answers++;
      leftOut.set(readerId, entry);
      continue;
    }
    const noArm = armCol >= 0 && record.fields[armCol].trim() === "";
    const answer = { caseId, readerId, choice: choice === "" || noArm ? null : choice };
    const repeat = repeatCol >= 0 ? record.fields[repeatCol].trim() : "";
    if (repeat !== "" && repeat !== "0") {
      if (repeat !== "1") throw new CsvFormatError(`line ${record.line}: repeat is "${repeat}", expected 0 or 1`);
      repeated.push(answer);
      continue;
    }
    answers.push(answer);
    const values = Object.fromEntries(header.map((h, j) => [h, record.fields[j]]));
    // Breakdowns look readers up by reader_id whatever the format.
    if (tidy) values["reader_id"] = readerId;
    rows.push({ line: record.line, values });
  }
  if (question && questionRows === 0 && records.length > 1) {
    throw new CsvFormatError(`the tidy export has no rows for question "${question.asked}"`);
  }
  return {
    answers,
    repeated,
    rows,
    header,
    format: tidy ? "tidy" : "answers",
    question: question ? { id: question.id, type: question.type } : null,
    leftOut: [...leftOut.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([readerId, v]) => ({ readerId, ...v })),
  };
}

/** Answers from CSV text; see readAnswerRows for the accepted format. */
export function answersFromCsv(text: string): Answer[] {
  return readAnswerRows(text).answers;
}

/**
 * reader_id -> value of `column` (e.g. specialty) from the same CSV, for breakdowns. A reader with two
 * different non-empty values is an error; readers with only empty values are left out (ungrouped).
 */
export function readerGroupsFromCsv(
  text: string,
  column: string,
  options: ReadAnswerOptions = {},
): Map<string, string> {
  const { rows, header } = readAnswerRows(text, options);
  const key = normaliseHeader(column);
  if (!header.includes(key)) {
    throw new CsvFormatError(
      `the CSV has no column "${column}" to group by (found: ${header.map((h) => JSON.stringify(h)).join(", ")})`,
    );
  }
  const groups = new Map<string, string>();
  for (const row of rows) {
    const reader = row.values["reader_id"].trim();
    const value = row.values[key].trim();
    if (value === "") continue;
    const previous = groups.get(reader);
    if (previous !== undefined && previous !== value) {
      throw new CsvFormatError(
        `line ${row.line}: reader "${reader}" has ${column} "${value}" here but "${previous}" earlier`,
      );
    }
    groups.set(reader, value);
  }
  return groups;
}
