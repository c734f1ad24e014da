import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator, invitedReader } from "../testing/seed-runs";
import { createDraftStudy, publishStudy } from "../studies/study-commands";
import { parseStudyDraft } from "../studies/study-schemas";
import { readerCase, submitAnswer } from "../studies/reader-survey";
import { parseCsvRecords, readAnswerRows } from "../stats/answers-csv";
import { armLabels, exportStudyAnswers, EXPORT_COLUMNS, type AnswersJsonExport } from "./answers-export";

after(() => disconnectDb());

describe("armLabels", () => {
  test("variant alone when unique, with the seed when variants repeat", () => {
    assert.deepEqual(
      armLabels([
        { variant: "BASELINE", seed: 1, modelRunId: "r1" },
        { variant: "CBAM", seed: 1, modelRunId: "r2" },
        { variant: "CBAM", seed: 2, modelRunId: "r3" },
      ]),
      ["baseline", "cbam-s1", "cbam-s2"],
    );
    assert.deepEqual(
      armLabels([
        { variant: "SE", seed: 1, modelRunId: "run-aaaaaa" },
        { variant: "SE", seed: 1, modelRunId: "run-bbbbbb" },
      ]),
      ["se-s1-aaaaaa", "se-s1-bbbbbb"],
    );
  });
});

describe("study answers export (real database)", () => {
  test("CSV: one row per submitted answer, slot order by name, formulas neutralised, audit recorded", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE", "CBAM"] });
    const settings = {
      showProbabilities: true,
      rationaleRequired: true,
      rationaleMin: 1,
      rationaleMax: 500,
      allowRevisit: true,
      confidenceEnabled: true,
      targetSpecialty: null,
      // The reader's case 1 is the study's first case, so the rows below come in the order they are written.
      caseOrder: "fixed" as const,
    };
    const { id } = await createDraftStudy(
      parseStudyDraft({
        title: "Export",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "sample", size: 2, seed: 1 },
        settings,
      }),
      owner.id,
    );
    await publishStudy(id, owner.id);
    const { reader } = await invitedReader(id, owner.id, "RADIOLOGY");
    const other = await invitedReader(id, owner.id, "DERMATOLOGY");
    await readerCase(reader.id, id, 1);
    await submitAnswer(reader.id, id, 1, {
      slot: "B",
      rationale: '=HYPERLINK("http://evil.example","click")',
      confidence: 5,
      clientTimeMs: 4321,
    });
    await readerCase(reader.id, id, 2);
    await submitAnswer(reader.id, id, 2, { slot: "A", rationale: 'multi\nline, "quoted"', confidence: null });
    // A draft without a submission is not an answer and must not be exported.
    await readerCase(other.reader.id, id, 1);

    const csv = await exportStudyAnswers(id, "csv", owner.id);
    assert.equal(csv.contentType, "text/csv; charset=utf-8");
    assert.match(csv.filename, new RegExp(`^focus-study-${id}-\\d{8}-\\d{6}\\.csv$`));
    assert.ok(csv.body.endsWith("\r\n"));
    const records = parseCsvRecords(csv.body);
    assert.deepEqual(records[0].fields, [...EXPORT_COLUMNS]);
    assert.equal(records.length, 3);
    const cell = (name: string, r: number) =>
      records[r].fields[EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number])];
    // Rows follow the study's case numbers while each reader sees their own case order, so the reader's
    // first answer (slot B) may be either row.
    const first = cell("chosen_slot", 1) === "B" ? 1 : 2;
    const second = 3 - first;
    const col = (name: string, r = first) => cell(name, r);
    assert.equal(col("rationale"), `'=HYPERLINK("http://evil.example","click")`);
    assert.ok(csv.body.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`), "quoted per RFC 4180");
    assert.equal(col("rationale", second), 'multi\nline, "quoted"');
    assert.equal(col("reader_id"), reader.pseudonym);
    assert.equal(col("specialty"), "radiology");
    assert.equal(col("chosen_slot"), "B");
    assert.equal(col("time_client_ms"), "4321");
    assert.equal(col("confidence", second), "");
    // The choice is the arm shown in the chosen slot, in the order this reader saw.
    const order = col("slot_order").split("|");
    assert.deepEqual([...order].sort(), ["baseline", "cbam", "se"]);
    assert.equal(col("choice"), order[1]);
    assert.equal(col("choice", second), col("slot_order", second).split("|")[0]);
    const run = runs.find((r) => r.variant.toLowerCase() === col("choice"))!;
    assert.equal(col("model_run_id"), run.id);
    const image = await db().studyCase.findUniqueOrThrow({ where: { id: col("case_id") }, include: { image: true } });
    assert.equal(col("image_id"), image.imageId);
    assert.equal(col("image_label"), ["benign", "malignant"][image.image.label]);
    assert.deepEqual([cell("case_number", 1), cell("case_number", 2)], ["1", "2"]);
    // The stats CLI's reader accepts the file as is.
    const parsed = readAnswerRows(csv.body);
    assert.deepEqual(
      parsed.answers.map((a) => a.readerId),
      [reader.pseudonym, reader.pseudonym],
    );

    const json = await exportStudyAnswers(id, "json", owner.id);
    const doc = JSON.parse(json.body) as AnswersJsonExport;
    assert.equal(doc.study.id, id);
    assert.deepEqual(
      doc.study.arms.map((a) => a.label),
      ["baseline", "se", "cbam"],
    );
    assert.equal(doc.answers.length, 2);
    // JSON keeps the text exactly as typed: neutralising is a spreadsheet concern.
    const typed = doc.answers[first - 1];
    assert.equal(typed.rationale, '=HYPERLINK("http://evil.example","click")');
    assert.equal(typed.confidence, 5);
    assert.equal(typed.choice, col("choice"));

    const audits = await db().auditEvent.findMany({
      where: { action: "study.export", subject: id },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      audits.map((a) => [a.actorId, (a.details as { format: string }).format]),
      [
        [owner.id, "csv"],
        [owner.id, "json"],
      ],
    );
  });
});
