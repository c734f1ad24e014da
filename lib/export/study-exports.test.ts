import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator, invitedReader } from "../testing/seed-runs";
import { createDraftStudy, publishStudy } from "../studies/study-commands";
import { parseStudyDraft } from "../studies/study-schemas";
import { readerCase, submitAnswer } from "../studies/reader-survey";
import { parseCsvRecords } from "../stats/answers-csv";
import { exportStudy, TIDY_COLUMNS, type StudyJsonExport } from "./study-exports";

after(() => disconnectDb());

const settings = {
  showProbabilities: true,
  rationaleRequired: true,
  rationaleMin: 1,
  rationaleMax: 500,
  allowRevisit: true,
  confidenceEnabled: true,
  targetSpecialty: null,
  // "Case n" is the study's case n here; per-reader orders are tested in lib/studies/case-order.test.ts.
  caseOrder: "fixed" as const,
};

async function answeredStudy() {
  const owner = await fixtureCoordinator();
  const { dataset, runs } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE", "CBAM"] });
  const draft = parseStudyDraft({
    title: "Tidy export",
    datasetId: dataset.id,
    modelRunIds: runs.map((r) => r.id),
    cases: { mode: "sample", size: 2, seed: 1 },
    settings,
  });
  const { id } = await createDraftStudy(draft, owner.id);
  await publishStudy(id, owner.id);
  const { reader } = await invitedReader(id, owner.id, "RADIOLOGY", "Dr Läsion");
  const other = await invitedReader(id, owner.id, "DERMATOLOGY");
  await readerCase(reader.id, id, 1);
  await submitAnswer(reader.id, id, 1, {
    slot: "B",
    rationale: '=SUM(A1;A2) Läsion, "rim"',
    confidence: 4,
    clientTimeMs: 4321,
  });
  await readerCase(reader.id, id, 2);
  await submitAnswer(reader.id, id, 2, { slot: "C", rationale: "edge; border", confidence: null });
  // Seen but not answered: in the hanging list as served, with no answer rows.
  await readerCase(other.reader.id, id, 1);
  return { owner, runs, id, reader, other: other.reader };
}

describe("study exports (real database)", () => {
  test("tidy CSV: one row per reader × case × question, plain UTF-8, text as typed", async () => {
    const { owner, runs, id, reader } = await answeredStudy();
    const file = await exportStudy(id, "tidy", owner.id);
    assert.match(file.filename, /-tidy\.csv$/);
    assert.notEqual(file.body.charCodeAt(0), 0xfeff, "no byte order mark");
    const records = parseCsvRecords(file.body);
    assert.deepEqual(records[0].fields, [...TIDY_COLUMNS]);
    const rows = records.slice(1).map((r) => Object.fromEntries(TIDY_COLUMNS.map((c, i) => [c, r.fields[i]])));
    // Case 1: best map, rationale, confidence; case 2: best map and rationale (no confidence given).
    assert.deepEqual(
      rows.map((r) => [r.position, r.question]),
      [
        ["1", "best_map"],
        ["1", "rationale"],
        ["1", "confidence"],
        ["2", "best_map"],
        ["2", "rationale"],
      ],
    );
    const invitation = await db().invitation.findFirstOrThrow({ where: { studyId: id, readerId: reader.id } });
    const status = invitation.status.toLowerCase();
    assert.ok(
      rows.every((r) => r.reader === reader.pseudonym && r.specialty === "radiology" && r.reader_status === status),
    );
    assert.equal(rows[1].answer, '=SUM(A1;A2) Läsion, "rim"', "no formula guard in the tidy file");
    assert.equal(rows[2].answer, "4");
    assert.equal(rows[0].confidence, "4");
    assert.equal(rows[0].time_client_ms, "4321");
    assert.equal(rows[3].confidence, "");
    assert.deepEqual([rows[0].slot, rows[3].slot], ["B", "C"]);
    // The slot letter matches the arm this reader saw in it.
    const orders = await db().slotOrder.findMany({
      where: { readerId: reader.id, studyCase: { studyId: id } },
      include: { studyCase: { include: { image: true } } },
      orderBy: { studyCase: { caseIndex: "asc" } },
    });
    const arms = await db().studyArm.findMany({ where: { studyId: id }, include: { modelRun: true } });
    const armAt = (o: (typeof orders)[number], slot: number) => arms.find((a) => a.armIndex === o.armOrder[slot])!;
    assert.equal(rows[0].variant, armAt(orders[0], 1).modelRun.variant.toLowerCase());
    assert.equal(rows[0].model_run_id, armAt(orders[0], 1).modelRunId);
    assert.equal(rows[0].answer, rows[0].arm);
    assert.equal(rows[3].model_run_id, armAt(orders[1], 2).modelRunId);
    assert.ok(runs.some((r) => r.id === rows[3].model_run_id));
    assert.equal(rows[0].image_id, orders[0].studyCase.imageId);
    assert.equal(rows[0].original_name, orders[0].studyCase.image.originalName);
    assert.ok(rows[0].original_name.length > 0);
  });

  test("spreadsheet CSV: BOM, formulas neutralised, cells with ';' quoted; only there", async () => {
    const { owner, id } = await answeredStudy();
    const file = await exportStudy(id, "spreadsheet", owner.id);
    assert.equal(file.body.charCodeAt(0), 0xfeff);
    assert.ok(file.body.includes(`"'=SUM(A1;A2) Läsion, ""rim"""`), file.body);
    assert.ok(file.body.includes(`,"edge; border",`), "a cell with ';' stays one cell where ';' separates");
    const records = parseCsvRecords(file.body);
    assert.deepEqual(records[0].fields, [...TIDY_COLUMNS]);
    assert.equal(records.length, 6);
  });

  test("JSON: settings, hanging list per reader (case and slot order) and every answer", async () => {
    const { owner, id, reader, other } = await answeredStudy();
    const file = await exportStudy(id, "full", owner.id);
    const doc = JSON.parse(file.body) as StudyJsonExport;
    assert.deepEqual(
      doc.questions.map((q) => [q.id, q.type]),
      [
        ["q1", "best_map"],
        ["q2", "rationale"],
        ["q3", "confidence"],
      ],
    );
    assert.equal(doc.settings.showProbabilities, true);
    assert.equal(doc.cases.length, 2);
    assert.deepEqual(doc.readers.map((r) => r.reader).sort(), [reader.pseudonym, other.pseudonym].sort());
    const mine = doc.readers.find((r) => r.reader === reader.pseudonym)!;
    assert.deepEqual(
      mine.hanging.map((h) => h.position),
      [1, 2],
    );
    const stored = await db().slotOrder.findMany({
      where: { readerId: reader.id, studyCase: { studyId: id } },
      include: { studyCase: true },
    });
    for (const s of stored) {
      const entry = mine.hanging.find((h) => h.case_id === s.studyCaseId)!;
      assert.deepEqual(
        entry.slots,
        s.armOrder.map((i) => doc.arms.find((a) => a.arm_index === i)!.label),
      );
      assert.equal(entry.served, true);
    }
    const theirs = doc.readers.find((r) => r.reader === other.pseudonym)!;
    assert.deepEqual(
      theirs.hanging.map((h) => h.served),
      [true, false],
    );
    assert.ok(theirs.hanging.every((h) => [...h.slots].sort().join() === ["baseline", "cbam", "se"].join()));
    assert.equal(doc.answers.length, 5);
    assert.equal(doc.answers[1].answer, '=SUM(A1;A2) Läsion, "rim"');
    const audits = await db().auditEvent.findMany({ where: { action: "study.export", subject: id } });
    assert.deepEqual(
      audits.map((a) => [a.actorId, (a.details as { format: string }).format]),
      [[owner.id, "full"]],
    );
  });
});
