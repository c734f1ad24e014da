// Every table of the study report is also a CSV download. The CSV is read from the report's own HTML, table by
// table (report-table-html.ts), so a file holds exactly what the printed table shows, and a table added to the
// report is downloadable without more code. The files are for people working in a spreadsheet: written like the
// spreadsheet CSV (byte order mark, `;` cells quoted, formulas neutralised); plain numbers stay numbers. Raw data
// for re-analysis is the tidy CSV.
import { stringify } from "csv-stringify/sync";
import { recordAudit } from "../audit/audit";
import { DomainError } from "../errors/domain-error";
import { studyReportHtml } from "./study-report";
import { SPREADSHEET_CSV } from "./study-exports";
import { reportTablesOf } from "./report-table-html";

const asCell = (text: string): string | number => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

export function tableCsv(rows: readonly string[][]): string {
  return stringify(
    rows.map((r) => r.map(asCell)),
    SPREADSHEET_CSV,
  );
}

/** One table of the report as a CSV file; the download is audited like every export. */
export async function reportTableCsv(studyId: string, fileName: string, actorId: string) {
  const name = /^([a-z0-9-]+)\.csv$/.exec(fileName)?.[1];
  const rows = name ? reportTablesOf(await studyReportHtml(studyId, { tablesOnly: true })).get(name) : undefined;
  if (!name || !rows) throw DomainError.notFound("The report has no such table.");
  await recordAudit(actorId, "study.export", studyId, { format: "report-table", table: name, rows: rows.length - 1 });
  return {
    filename: `focus-study-${studyId}-${name}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: tableCsv(rows),
  };
}
