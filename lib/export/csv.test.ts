import { test } from "node:test";
import assert from "node:assert/strict";
import { formatCell, neutraliseFormula, toCsv } from "./csv";

test("RFC 4180 output: CRLF lines, quoting of commas, quotes and line breaks", () => {
  const csv = toCsv(
    ["id", "note"],
    [
      [1, 'said "ok", left'],
      [2, "two\nlines"],
      [3, null],
      [4, "plain"],
    ],
  );
  assert.equal(csv, 'id,note\r\n1,"said ""ok"", left"\r\n2,"two\nlines"\r\n3,\r\n4,plain\r\n');
});

test("formula neutralisation of text cells beginning with = + - @ tab or carriage return", () => {
  assert.equal(neutraliseFormula('=HYPERLINK("http://x")'), '\'=HYPERLINK("http://x")');
  assert.equal(neutraliseFormula("+1+1"), "'+1+1");
  assert.equal(neutraliseFormula("-2+3"), "'-2+3");
  assert.equal(neutraliseFormula("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(neutraliseFormula("\tcmd"), "'\tcmd");
  assert.equal(neutraliseFormula("\rcmd"), "'\rcmd");
  assert.equal(neutraliseFormula("a=b"), "a=b");
  assert.equal(neutraliseFormula(""), "");
  // The carriage return survives inside quotes; the comma case is quoted after neutralising.
  assert.equal(formatCell("\r=1"), '"\'\r=1"');
  assert.equal(formatCell("=1,2"), '"\'=1,2"');
  assert.equal(toCsv(["=cmd"], [["@x"]]), "'=cmd\r\n'@x\r\n");
});

test("numbers, booleans and dates are written as values, negative numbers unchanged", () => {
  assert.equal(formatCell(-3.5), "-3.5");
  assert.equal(formatCell(true), "true");
  assert.equal(formatCell(10n), "10");
  assert.equal(formatCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), "2024-01-02T03:04:05.000Z");
  assert.equal(formatCell(Number.NaN), "");
  assert.equal(formatCell(undefined), "");
});

test("optional byte order mark and row length check", () => {
  assert.equal(toCsv(["a"], [], { bom: true }), "\uFEFFa\r\n");
  assert.throws(() => toCsv(["a", "b"], [["only one"]]), RangeError);
});
