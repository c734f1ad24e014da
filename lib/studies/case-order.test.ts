// Per-reader case orders: the pure order, and a reader's "Case n" through the survey and the exports.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { effectiveCaseOrder, seededCaseOrder } from "./case-order";
import { nextOpenCase, readerCase, submitAnswer } from "./reader-survey";
import { readerReview } from "./reader-survey-review";
import { exportStudy, type StudyJsonExport } from "../export/study-exports";

after(() => disconnectDb());

describe("seededCaseOrder", () => {
  test("a permutation, stable for the same seed and reader, different between readers and studies", () => {
    const a = seededCaseOrder("seed-1", 0, 20);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.deepEqual(seededCaseOrder("seed-1", 0, 20), a);
    assert.notDeepEqual(seededCaseOrder("seed-1", 1, 20), a);
    assert.notDeepEqual(seededCaseOrder("seed-2", 0, 20), a);
  });

  test("the first position is spread over the cases across readers, not stuck on one", () => {
    const firsts = new Set(Array.from({ length: 40 }, (_, r) => seededCaseOrder("spread", r, 10)[0]));
    assert.ok(firsts.size >= 6, `only ${firsts.size} distinct first cases over 40 readers`);
  });

  test("fixed mode, and a stored order that does not fit the study, give the study's order", () => {
    assert.deepEqual(effectiveCaseOrder([2, 0, 1], 3, "fixed"), [0, 1, 2]);
    assert.deepEqual(effectiveCaseOrder([2, 0, 1], 3, "random"), [2, 0, 1]);
    assert.deepEqual(effectiveCaseOrder([], 3, "random"), [0, 1, 2]);
    assert.deepEqual(effectiveCaseOrder([0, 0, 1], 3, "random"), [0, 1, 2]);
    assert.deepEqual(effectiveCaseOrder([0, 1], 3, "random"), [0, 1, 2]);
  });
});

async function caseIndexShown(readerId: string, studyId: string, n: number): Promise<number> {
  const view = await readerCase(readerId, studyId, n);
  const token = view.imageUrl.split("/").pop()!;
  const row = await db().blindToken.findUniqueOrThrow({
    where: { token },
    select: { slotOrder: { select: { studyCase: { select: { caseIndex: true } } } } },
  });
  return row.slotOrder.studyCase.caseIndex;
}

describe("a reader's own order", () => {
  test("case n is the n-th of the stored order; next-open, review and exports follow it", async () => {
    const f = await createStudyFixture({ cases: 6, arms: 2, settings: { caseOrder: "random" } });
    const readers = [await f.inviteReader(), await f.inviteReader(), await f.inviteReader()];
    const stored = await db().invitation.findMany({
      where: { studyId: f.studyId },
      orderBy: { readerIndex: "asc" },
      select: { readerId: true, caseOrder: true },
    });
    assert.ok(
      new Set(stored.map((s) => s.caseOrder.join(","))).size > 1,
      "three readers should not all share one order",
    );
    const r = readers[0];
    const order = stored.find((s) => s.readerId === r.readerId)!.caseOrder;
    for (let n = 1; n <= 6; n++) assert.equal(await caseIndexShown(r.readerId, f.studyId, n), order[n - 1]);
    await assert.rejects(readerCase(r.readerId, f.studyId, 7));

    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "first in my order", confidence: 1 });
    assert.equal(await nextOpenCase(r.readerId, f.studyId), 2);
    const review = await readerReview(r.readerId, f.studyId);
    assert.deepEqual(
      review.rows.map((row) => [row.caseNumber, row.status]),
      [1, 2, 3, 4, 5, 6].map((n) => [n, n === 1 ? "answered" : "not-started"]),
    );

    const me = (await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).ownerId;
    const json = JSON.parse((await exportStudy(f.studyId, "full", me)).body) as StudyJsonExport;
    const caseIdOfIndex = new Map(
      (await db().studyCase.findMany({ where: { studyId: f.studyId } })).map((c) => [c.caseIndex, c.id]),
    );
    const mine = json.readers.find((x) => x.reader === r.pseudonym)!;
    assert.deepEqual(
      mine.hanging.map((h) => [h.position, h.case_id]),
      order.map((caseIndex, p) => [p + 1, caseIdOfIndex.get(caseIndex)]),
    );
    assert.equal(json.settings.caseOrder, "random");
    const answer = json.answers.find((a) => a.reader === r.pseudonym && a.question === "best_map")!;
    assert.equal(answer.position, 1);
    assert.equal(answer.case_id, caseIdOfIndex.get(order[0]));
  });

  test("a fixed-order study shows every reader the study's order", async () => {
    const f = await createStudyFixture({ cases: 4, arms: 2, settings: { caseOrder: "fixed" } });
    const r = await f.inviteReader();
    for (let n = 1; n <= 4; n++) assert.equal(await caseIndexShown(r.readerId, f.studyId, n), n - 1);
  });
});
