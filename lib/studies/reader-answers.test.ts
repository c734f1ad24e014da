// The coordinator's read-only view of one reader's answers, against the test database.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { isDomainError } from "../errors/domain-error";
import { readerCase, saveDraft, submitAnswer } from "./reader-survey";
import { readerAnswersForCoordinator } from "./reader-answers";

after(() => disconnectDb());

test("answers in the reader's order with slot and arm; a draft's text stays hidden; writes nothing", async () => {
  const f = await createStudyFixture({ cases: 3, arms: 2, settings: { caseOrder: "random" } });
  const r = await f.inviteReader();
  const view1 = await readerCase(r.readerId, f.studyId, 1);
  await submitAnswer(r.readerId, f.studyId, 1, { slot: "B", rationale: "the lesion rim", confidence: 4 });
  await readerCase(r.readerId, f.studyId, 2);
  await saveDraft(r.readerId, f.studyId, 2, { slot: "A", rationale: "half-typed secret" });
  assert.equal(view1.caseNumber, 1);

  const responsesBefore = await db().response.findMany({ orderBy: { id: "asc" } });
  const view = await readerAnswersForCoordinator(f.studyId, r.invitationId);
  assert.deepEqual(await db().response.findMany({ orderBy: { id: "asc" } }), responsesBefore);
  assert.equal(view.pseudonym, r.pseudonym);
  assert.equal(view.status, "pending");
  const inv = await db().invitation.findUniqueOrThrow({ where: { id: r.invitationId } });
  assert.deepEqual(
    view.rows.map((x) => x.caseNumber),
    inv.caseOrder.map((i) => i + 1),
  );
  const [first, second, third] = view.rows;
  assert.equal(first.status, "answered");
  assert.equal(first.slot, "B");
  const order = await db().slotOrder.findFirstOrThrow({
    where: { readerId: r.readerId, studyCase: { studyId: f.studyId, caseIndex: inv.caseOrder[0] } },
  });
  const arm = await db().studyArm.findFirstOrThrow({
    where: { studyId: f.studyId, armIndex: order.armOrder[1] },
    include: { modelRun: true },
  });
  assert.equal(first.arm, arm.modelRun.variant.toLowerCase());
  assert.equal(first.rationale, "the lesion rim");
  assert.equal(first.confidence, 4);
  assert.deepEqual([second.status, second.rationale, second.slot], ["draft", null, null]);
  assert.equal(third.status, "not-started");
});

test("an invitation of another study is not found through this one", async () => {
  const a = await createStudyFixture({ cases: 1, arms: 2 });
  const b = await createStudyFixture({ cases: 1, arms: 2 });
  const rb = await b.inviteReader();
  await assert.rejects(readerAnswersForCoordinator(a.studyId, rb.invitationId), (e) => isDomainError(e, "not-found"));
});

test("a “none” or “cannot decide” answer shows as answered, with that option and no slot or arm", async () => {
  const f = await createStudyFixture({
    cases: 3,
    arms: 2,
    questions: [
      { id: "q1", type: "best_map", wording: "Best?", required: true, allowNone: true, allowCannotDecide: true },
      { id: "q2", type: "rationale", wording: "Why?", required: false, min: 0, max: 500 },
    ],
  });
  const r = await f.inviteReader();
  for (const n of [1, 2, 3]) await readerCase(r.readerId, f.studyId, n);
  await submitAnswer(r.readerId, f.studyId, 1, { option: "none", rationale: "no map on the lesion" });
  await submitAnswer(r.readerId, f.studyId, 2, { option: "cannot_decide", rationale: "" });
  await submitAnswer(r.readerId, f.studyId, 3, { slot: "A", rationale: "" });
  const view = await readerAnswersForCoordinator(f.studyId, r.invitationId);
  assert.deepEqual(
    view.rows.map((x) => [x.status, x.option, x.slot, x.arm === null, x.rationale]),
    [
      ["answered", "none", null, true, "no map on the lesion"],
      ["answered", "cannot_decide", null, true, ""],
      ["answered", null, "A", false, ""],
    ],
  );
  assert.ok(view.rows.every((x) => x.submittedAt !== null && !x.repeat));
});
