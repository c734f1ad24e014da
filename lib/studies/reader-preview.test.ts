// The coordinator's preview stores nothing and shows what the design shows: every slot one arm's map of the case.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { previewCase, previewImageKey } from "./reader-preview";
import { isDomainError } from "../errors/domain-error";

after(() => disconnectDb());

const counts = async () => ({
  slotOrders: await db().slotOrder.count(),
  tokens: await db().blindToken.count(),
  responses: await db().response.count(),
  invitations: await db().invitation.count(),
  audits: await db().auditEvent.count(),
});

describe("previewCase", () => {
  test("every case with one map per arm, empty answers, and nothing written", async () => {
    const f = await createStudyFixture({ cases: 3, arms: 4, status: "DRAFT", settings: { showProbabilities: true } });
    const before = await counts();
    for (let n = 1; n <= 3; n++) {
      const view = await previewCase(f.studyId, n);
      assert.equal(view.caseNumber, n);
      assert.equal(view.total, 3);
      assert.equal(view.answer, null);
      assert.equal(view.saved.slot, null);
      assert.deepEqual(
        view.slots.map((s) => s.letter),
        ["A", "B", "C", "D"],
      );
      assert.ok(view.slots.every((s) => s.probabilityPercent !== null));
      const studyCase = await db().studyCase.findUniqueOrThrow({
        where: { studyId_caseIndex: { studyId: f.studyId, caseIndex: n - 1 } },
        include: { image: true },
      });
      assert.equal(await previewImageKey(f.studyId, n, "original"), studyCase.image.displayKey);
      const keys = await Promise.all(view.slots.map((s) => previewImageKey(f.studyId, n, s.letter)));
      const maps = await db().heatmap.findMany({
        where: { imageId: studyCase.imageId, modelRunId: { in: f.runIds } },
      });
      assert.deepEqual([...keys].sort(), maps.map((m) => m.overlayKey).sort(), "each arm's map exactly once");
      // Drawn as the reader's page draws it: raw maps, in the study's colours.
      assert.equal(view.mapFormat, "cam");
      const cams = await Promise.all(view.slots.map((s) => previewImageKey(f.studyId, n, s.letter, "cam")));
      assert.deepEqual([...cams].sort(), maps.map((m) => m.camKey).sort());
      assert.ok(view.slots.every((s) => s.camUrl === `${s.url}/cam`));
    }
    assert.deepEqual(await counts(), before);
  });

  test("no such case or slot is a not-found", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    for (const call of [
      () => previewCase(f.studyId, 2),
      () => previewCase(f.studyId, 0),
      () => previewImageKey(f.studyId, 1, "C"),
      () => previewImageKey("no-such-study", 1, "A"),
    ]) {
      await assert.rejects(call(), (e) => isDomainError(e, "not-found"));
    }
  });
});
