import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { toCsv } from "@/lib/export/csv";
import {
  CsvFormatError,
  answersFromCsv,
  parseCsv,
  parseCsvRecords,
  readAnswerRows,
  readerGroupsFromCsv,
} from "./answers-csv";

describe("parseCsv (RFC 4180)", () => {
  test("plain fields, CRLF and LF records, optional final line break", () => {
    assert.deepEqual(parseCsv("a,b,c\r\n1,2,3\r\n"), [
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    assert.deepEqual(parseCsv("a,b\n1,2"), [
      ["a", "b"],
      ["1", "2"],
    ]);
    assert.deepEqual(parseCsv("a,b\r1,2\r"), [
      ["a", "b"],
      ["1", "2"],
    ]);
    assert.deepEqual(parseCsv(""), []);
  });
  test("quotes, doubled quotes, embedded commas and line breaks", () => {
    const text = 'id,text\r\n1,"say ""hi"", then\r\nleave"\r\n2,"a,b"\r\n3,""\r\n';
    assert.deepEqual(parseCsv(text), [
      ["id", "text"],
      ["1", 'say "hi", then\r\nleave'],
      ["2", "a,b"],
      ["3", ""],
    ]);
  });
  test("empty fields, trailing comma, and a quoted field at end of input", () => {
    assert.deepEqual(parseCsv(",,\n"), [["", "", ""]]);
    assert.deepEqual(parseCsv("a,"), [["a", ""]]);
    assert.deepEqual(parseCsv('a,"b"'), [["a", "b"]]);
    assert.deepEqual(parseCsv('""'), [[""]]);
  });
  test("UTF-8 byte order mark is dropped; non-ASCII text is kept", () => {
    assert.deepEqual(parseCsv("\uFEFFcase_id,choice\nÄ1,Görüntü 🙂\n"), [
      ["case_id", "choice"],
      ["Ä1", "Görüntü 🙂"],
    ]);
  });
  test("a bare quote inside an unquoted field is kept literally", () => {
    assert.deepEqual(parseCsv('a"b,c\n'), [['a"b', "c"]]);
  });
  test("errors: unterminated quote, text after a closing quote (with line numbers)", () => {
    assert.throws(
      () => parseCsv('a\n"open,\nstill open'),
      (e: unknown) => e instanceof CsvFormatError && /line 2/.test(e.message),
    );
    assert.throws(
      () => parseCsv('x\n"a"b,c'),
      (e: unknown) => e instanceof CsvFormatError && /"b".*line 2/.test(e.message),
    );
  });
  test("records remember the line they start on, counting breaks inside quotes", () => {
    const records = parseCsvRecords('h\n"multi\r\nline"\nnext\n');
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 2, 4],
    );
  });
  test("round trip: parse(toCsv(rows)) returns the rows (cells not starting with formula characters)", () => {
    const cell = fc
      .string({ unit: fc.constantFrom("a", "Z", " ", ",", '"', "\n", "\r", "é", "x", "1") })
      .filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((w) =>
            fc.tuple(
              fc.array(cell, { minLength: w, maxLength: w }),
              fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 5 }),
            ),
          ),
        ([header, rows]) => {
          // A lone empty field on a line is indistinguishable from a blank line, so skip that ambiguous shape.
          fc.pre(header.length > 1 || ![header, ...rows].some((r) => r[0] === ""));
          assert.deepEqual(parseCsv(toCsv(header, rows)), [header, ...rows]);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("answersFromCsv", () => {
  test("reads the three columns in any order and case, ignores others, empty choice = missing", () => {
    const text =
      "\uFEFFChoice,Reader_ID,specialty,CASE_ID\r\nSE,r1,radiology,c1\r\n,r2,dermatology,c1\r\n\r\n  GC ,r1,radiology,c2\r\n";
    assert.deepEqual(answersFromCsv(text), [
      { caseId: "c1", readerId: "r1", choice: "SE" },
      { caseId: "c1", readerId: "r2", choice: null },
      { caseId: "c2", readerId: "r1", choice: "GC" },
    ]);
  });
  test("a clear error names the missing columns", () => {
    assert.throws(
      () => answersFromCsv("case_id,reader,choice\nc1,r1,SE\n"),
      (e: unknown) =>
        e instanceof CsvFormatError &&
        /missing required column reader_id/.test(e.message) &&
        /"reader"/.test(e.message),
    );
    assert.throws(() => answersFromCsv("x\n1\n"), /missing required columns case_id, reader_id, choice/);
    assert.throws(() => answersFromCsv(""), /empty/);
  });
  test("rows with the wrong number of fields or empty ids are refused with their line", () => {
    assert.throws(() => answersFromCsv("case_id,reader_id,choice\nc1,r1\n"), /line 2: 2 fields, but the header has 3/);
    assert.throws(() => answersFromCsv("case_id,reader_id,choice\nc1,r1,SE\n , r2,SE\n"), /line 3: case_id is empty/);
  });
  test("reader groups from an extra column; conflicting values are an error", () => {
    const text =
      "case_id,reader_id,choice,specialty\nc1,r1,SE,radiology\nc2,r1,GC,radiology\nc1,r2,SE,\nc1,r3,GC,derm\n";
    assert.deepEqual(
      [...readerGroupsFromCsv(text, "Specialty")],
      [
        ["r1", "radiology"],
        ["r3", "derm"],
      ],
    );
    assert.throws(() => readerGroupsFromCsv(text, "site"), /no column "site"/);
    assert.throws(() => readerGroupsFromCsv(text + "c3,r3,SE,radiology\n", "specialty"), /line 6: reader "r3"/);
  });
});

describe("the study's tidy export", () => {
  const tidy = [
    "study_id,reader,specialty,reader_status,case_id,question,arm,answer,confidence",
    "s,R1,dermatology,accepted,c1,best_map,cbam,cbam,4",
    "s,R1,dermatology,accepted,c1,rationale,cbam,clear focus,4",
    "s,R1,dermatology,accepted,c1,confidence,cbam,4,4",
    "s,R2,radiology,accepted,c1,best_map,se,se,",
    "s,R3,radiology,excluded,c1,best_map,gc,gc,",
    "s,R3,radiology,excluded,c2,best_map,gc,gc,",
    "s,R4,radiology,revoked,c1,best_map,gc,gc,",
    "",
  ].join("\r\n");
  test("best_map rows are the answers; revoked and excluded readers are left out and listed", () => {
    const r = readAnswerRows(tidy);
    assert.equal(r.format, "tidy");
    assert.deepEqual(r.answers, [
      { caseId: "c1", readerId: "R1", choice: "cbam" },
      { caseId: "c1", readerId: "R2", choice: "se" },
    ]);
    assert.deepEqual(r.leftOut, [
      { readerId: "R3", status: "excluded", answers: 2 },
      { readerId: "R4", status: "revoked", answers: 1 },
    ]);
    assert.deepEqual(
      [...readerGroupsFromCsv(tidy, "specialty")],
      [
        ["R1", "dermatology"],
        ["R2", "radiology"],
      ],
    );
  });
  test("another question by name; an unknown one or a question on the answers CSV is refused", () => {
    assert.deepEqual(readAnswerRows(tidy, { question: "confidence" }).answers, [
      { caseId: "c1", readerId: "R1", choice: "4" },
    ]);
    assert.throws(() => readAnswerRows(tidy, { question: "ranking" }), /no rows for question "ranking"/);
    assert.throws(
      () => readAnswerRows("case_id,reader_id,choice\nc1,r1,SE\n", { question: "best_map" }),
      /only be chosen in the tidy export/,
    );
  });
});
