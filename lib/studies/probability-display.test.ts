import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { db } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { readerCase } from "./reader-survey";
import { readSettings } from "./study-settings";

describe("the models' probability P under each map", () => {
  test("is off in a study whose settings do not mention it", () => {
    assert.equal(readSettings({}).showProbabilities, false);
    assert.equal(readSettings(null).showProbabilities, false);
  });

  test("is hidden from readers by default", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const r = await f.inviteReader();
    const view = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual(
      view.slots.map((s) => s.probabilityPercent),
      [null, null],
    );
    assert.equal(view.probabilityClass, null);
  });

  test("when shown, is each slot's probability for the image's true class, named", async () => {
    const f = await createStudyFixture({ cases: 2, arms: 3, settings: { showProbabilities: true } });
    const r = await f.inviteReader();
    for (const caseNumber of [1, 2]) {
      const view = await readerCase(r.readerId, f.studyId, caseNumber);
      const studyCase = await db().studyCase.findUniqueOrThrow({
        where: { studyId_caseIndex: { studyId: f.studyId, caseIndex: caseNumber - 1 } },
        select: { image: { select: { id: true, label: true, dataset: { select: { classNames: true } } } } },
      });
      const { image } = studyCase;
      assert.equal(view.probabilityClass, image.dataset.classNames[image.label]);
      const order = await db().slotOrder.findFirstOrThrow({
        where: { readerId: r.readerId, studyCase: { studyId: f.studyId, caseIndex: caseNumber - 1 } },
      });
      for (const [slot, armIndex] of order.armOrder.entries()) {
        const heatmap = await db().heatmap.findUniqueOrThrow({
          where: { modelRunId_imageId: { modelRunId: f.runIds[armIndex], imageId: image.id } },
        });
        assert.equal(heatmap.targetClass, image.label, "the stored P is for the true class");
        assert.equal(view.slots[slot].probabilityPercent, Math.round(heatmap.probability * 100));
      }
    }
  });
});
