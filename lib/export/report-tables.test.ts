// Each report table as CSV: the same cells as the printed table, spreadsheet-safe, audited; unknown names refused.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { isDomainError } from "../errors/domain-error";
import { readerCase, submitAnswer } from "../studies/reader-survey";
import { studyResults } from "../studies/results";
import { studyReportHtml } from "./study-report";
import { reportTableCsv, tableCsv } from "./report-tables";
import { reportTablesOf } from "./report-table-html";

after(() => disconnectDb());

test("table cells are read back unescaped; numbers stay numbers; formulas and ';' are made harmless", () => {
  const tables = reportTablesOf(
    '<table data-testid="report-x"><tr><th>A</th><th>B</th></tr>\n<tr><td>O&#39;Brien &amp; &lt;b&gt;</td><td>-0.125</td></tr>' +
      '<tr><td>=SUM(1;2)</td><td>12.5 %</td></tr></table><table data-testid="other"><tr><td>no</td></tr></table>',
  );
  assert.deepEqual([...tables.keys()], ["x"]);
  assert.deepEqual(tables.get("x"), [
    ["A", "B"],
    ["O'Brien & <b>", "-0.125"],
    ["=SUM(1;2)", "12.5 %"],
  ]);
  assert.equal(tableCsv(tables.get("x")!), "\uFEFFA,B\r\nO'Brien & <b>,-0.125\r\n\"'=SUM(1;2)\",12.5 %\r\n");
});

test("every table of a real report downloads with the printed figures, and each download is audited", async () => {
  const f = await createStudyFixture({ cases: 2, arms: 2 });
  for (const name of ["Ann", "Bo"]) {
    const r = await f.inviteReader(name);
    for (const n of [1, 2]) {
      await readerCase(r.readerId, f.studyId, n);
      await submitAnswer(r.readerId, f.studyId, n, { slot: "A", rationale: `${name}: rim, "sharp"`, confidence: 3 });
    }
  }
  const html = await studyReportHtml(f.studyId);
  const tables = reportTablesOf(html);
  assert.ok(
    ["models", "preference", "stats", "cases"].every((t) => tables.has(t)),
    [...tables.keys()].join(),
  );
  for (const name of tables.keys()) assert.ok(html.includes(`href="report-tables/${name}.csv"`), name);
  assert.ok(!(await studyReportHtml(f.studyId, { forPrint: true })).includes("report-tables/"));

  const file = await reportTableCsv(f.studyId, "preference.csv", f.ownerId);
  const lines = file.body
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  const results = await studyResults(f.studyId);
  assert.equal(lines.length, 1 + results.bars.length);
  for (const bar of results.bars)
    assert.ok(
      lines.some((l) => l.startsWith(`${bar.label},${bar.count},`)),
      bar.label,
    );
  const cases = await reportTableCsv(f.studyId, "cases.csv", f.ownerId);
  assert.ok(cases.body.includes('"Ann: rim, ""sharp"""'));
  const audits = await db().auditEvent.findMany({ where: { action: "study.export", subject: f.studyId } });
  assert.deepEqual(audits.map((a) => (a.details as { table?: string }).table).sort(), ["cases", "preference"]);
  for (const bad of ["nope.csv", "preference", "../x.csv"]) {
    await assert.rejects(reportTableCsv(f.studyId, bad, f.ownerId), (e) => isDomainError(e, "not-found"));
  }
});
