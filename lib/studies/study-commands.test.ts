// Against the test database (npm run test:unit sets DATABASE_URL to a fresh migrated one).
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator } from "../testing/seed-runs";
import { isDomainError } from "../errors/domain-error";
import { formFieldErrors } from "../http/form-state";
import {
  closeStudy,
  createDraftStudy,
  missingHeatmapsOf,
  publishStudy,
  updateStudyQuestions,
  updateStudySettings,
} from "./study-commands";
import { draftInputFromForm } from "./study-form";
import { parseStudyDraft, parseStudyQuestions, parseStudySettings } from "./study-schemas";
import { readQuestions } from "./study-questions";
import { manageableStudy } from "./study-access";
import { candidateCases } from "./study-queries";
import { DEFAULT_QUESTION } from "./study-settings";

after(() => disconnectDb());

const settings = {
  showProbabilities: true,
  rationaleRequired: true,
  rationaleMin: 3,
  rationaleMax: 200,
  allowRevisit: true,
  confidenceEnabled: false,
  targetSpecialty: null,
};

describe("createDraftStudy", () => {
  test("a sampled draft gets its arms in order, the sampled cases and a random design seed", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs } = await seedDatasetWithRuns({ images: 12 });
    const { id, strata } = await createDraftStudy(
      parseStudyDraft({
        title: "  Pilot ",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "sample", size: "6", seed: "42" },
        settings,
      }),
      owner.id,
    );
    const study = await db().study.findUniqueOrThrow({
      where: { id },
      include: { arms: { orderBy: { armIndex: "asc" } }, cases: true },
    });
    assert.equal(study.title, "Pilot");
    assert.equal(study.status, "DRAFT");
    assert.equal(study.question, DEFAULT_QUESTION);
    assert.match(study.designSeed, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      study.arms.map((a) => a.modelRunId),
      runs.map((r) => r.id),
    );
    assert.equal(study.cases.length, 6);
    assert.deepEqual(
      study.cases.map((c) => c.caseIndex).sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5],
    );
    // Default fixture: labels alternate, 3 of 4 arms wrong on every 4th image => 3 strata present.
    assert.equal(
      strata!.reduce((s, x) => s + x.chosen, 0),
      6,
    );
    assert.ok(strata!.length >= 3);
    // Same seed, same cases: the sample is reproducible.
    const again = await createDraftStudy(
      parseStudyDraft({
        title: "Pilot 2",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "sample", size: 6, seed: 42 },
        settings,
      }),
      owner.id,
    );
    const cases2 = await db().studyCase.findMany({ where: { studyId: again.id }, orderBy: { caseIndex: "asc" } });
    const cases1 = await db().studyCase.findMany({ where: { studyId: id }, orderBy: { caseIndex: "asc" } });
    assert.deepEqual(
      cases2.map((c) => c.imageId),
      cases1.map((c) => c.imageId),
    );
  });

  test("missing heat-maps are named exactly, and nothing is written", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs, images } = await seedDatasetWithRuns({
      images: 4,
      variants: ["BASELINE", "CBAM"],
      missing: [[1, 2]],
    });
    const before = await db().study.count();
    await assert.rejects(
      async () =>
        createDraftStudy(
          parseStudyDraft({
            title: "T",
            datasetId: dataset.id,
            modelRunIds: runs.map((r) => r.id),
            cases: { mode: "pick", imageIds: images.map((i) => i.id) },
            settings,
          }),
          owner.id,
        ),
      (e: unknown) => {
        assert.ok(isDomainError(e, "invalid"));
        assert.deepEqual(
          missingHeatmapsOf(e).map((m) => [m.modelRunId, m.imageId]),
          [[runs[1].id, images[2].id]],
        );
        assert.match(e.message, /1 heat-map is missing: cbam \(seed 1, run \w+\) on benign\/img-2\.png/);
        return true;
      },
    );
    assert.equal(await db().study.count(), before);
    // Sampling leaves the incomplete image out instead.
    const { candidates, incompleteImageIds } = await candidateCases(
      dataset.id,
      runs.map((r) => r.id),
    );
    assert.equal(candidates.length, 3);
    assert.deepEqual(incompleteImageIds, [images[2].id]);
  });

  test("field errors for bad input: too few arms, empty title, bad sample size, foreign run", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE"] });
    const other = await seedDatasetWithRuns({ images: 2, variants: ["GC"] });
    await assert.rejects(
      async () =>
        createDraftStudy(
          parseStudyDraft({
            title: "",
            datasetId: dataset.id,
            modelRunIds: [runs[0].id],
            cases: { mode: "sample", size: "x", seed: 1 },
            settings,
          }),
          owner.id,
        ),
      (e: unknown) => {
        assert.ok(isDomainError(e, "invalid"));
        const fieldErrors = formFieldErrors(e.fields) ?? {};
        assert.equal(fieldErrors.title, "Title is required");
        assert.equal(fieldErrors.modelRunIds, "Choose at least 2 model runs as arms");
        assert.equal(fieldErrors["cases.size"], "Sample size must be a number");
        return true;
      },
    );
    await assert.rejects(
      async () =>
        createDraftStudy(
          parseStudyDraft({
            title: "T",
            datasetId: dataset.id,
            modelRunIds: [runs[0].id, other.runs[0].id],
            cases: { mode: "sample", size: 1, seed: 1 },
            settings,
          }),
          owner.id,
        ),
      /gc \(seed 1, run \w+\) was trained on another dataset/,
    );
    await assert.rejects(
      async () =>
        createDraftStudy(
          parseStudyDraft({
            title: "T",
            datasetId: dataset.id,
            modelRunIds: runs.map((r) => r.id),
            cases: { mode: "sample", size: 5, seed: 1 },
            settings,
          }),
          owner.id,
        ),
      /Asked for 5 cases but only 2 are eligible/,
    );
  });

  test("the form mapping reads checkboxes, repeated fields and the case mode", () => {
    const f = new FormData();
    f.set("title", "A");
    f.set("datasetId", "d");
    f.append("modelRunId", "r1");
    f.append("modelRunId", "r2");
    f.set("caseMode", "pick");
    f.append("imageId", "i1");
    f.set("showProbabilities", "on");
    f.set("targetSpecialty", "");
    f.set("caseOrder", "fixed");
    f.set("invitationExpiryDays", "7");
    f.set("questions", JSON.stringify([{ id: "q1", type: "rating", wording: "" }]));
    const input = draftInputFromForm(f);
    assert.deepEqual(input.modelRunIds, ["r1", "r2"]);
    assert.deepEqual(input.cases, { mode: "pick", imageIds: ["i1"] });
    assert.deepEqual(input.settings, {
      showProbabilities: true,
      allowRevisit: false,
      targetSpecialty: null,
      caseOrder: "fixed",
      invitationExpiryDays: 7,
      colourMap: "jet",
    });
    assert.deepEqual(input.questions, [{ id: "q1", type: "rating", wording: "" }]);
    f.set("questions", "not json");
    assert.equal(draftInputFromForm(f).questions, "not json");
  });
});

describe("publish, settings, close and ownership", () => {
  test("publish opens the study once; settings lock; close ends it", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs } = await seedDatasetWithRuns({ images: 4, variants: ["BASELINE", "SE", "GC"] });
    const { id } = await createDraftStudy(
      parseStudyDraft({
        title: "P",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "sample", size: 4, seed: 3 },
        settings,
      }),
      owner.id,
    );
    await assert.rejects(closeStudy(id, owner.id), /publish it first/);
    await assert.rejects(
      (async () =>
        updateStudySettings(id, parseStudySettings({ ...settings, targetSpecialty: "SURGERY" }), owner.id))(),
      /Fix the highlighted settings/,
    );
    await updateStudySettings(id, parseStudySettings({ ...settings, allowRevisit: false }), owner.id);
    await assert.rejects(
      (async () =>
        updateStudyQuestions(id, parseStudyQuestions([{ id: "q1", type: "rationale", min: 30, max: 5 }]), owner.id))(),
      (e: unknown) => isDomainError(e, "invalid") && e.fields.some((f) => f.field === "questions.0.min"),
    );
    const asked = parseStudyQuestions([
      { id: "q1", type: "ranking", wording: "", allowTies: true },
      { id: "q2", type: "best_map", wording: "Best?", allowNone: true },
    ]);
    await updateStudyQuestions(id, asked, owner.id);
    await publishStudy(id, owner.id);
    const open = await db().study.findUniqueOrThrow({ where: { id } });
    assert.equal(open.status, "OPEN");
    assert.ok(open.publishedAt);
    assert.equal((open.settings as { allowRevisit: boolean }).allowRevisit, false);
    assert.deepEqual(readQuestions(open), asked);
    assert.equal(open.question, "Best?");
    await assert.rejects(updateStudyQuestions(id, asked, owner.id), /only be changed while the study is a draft/);
    await assert.rejects(publishStudy(id, owner.id), /already open/);
    await assert.rejects(
      updateStudySettings(id, parseStudySettings(settings), owner.id),
      /only be changed while the study is a draft/,
    );
    await closeStudy(id, owner.id);
    assert.equal((await db().study.findUniqueOrThrow({ where: { id } })).status, "CLOSED");
    const actions = (await db().auditEvent.findMany({ where: { subject: id }, orderBy: { createdAt: "asc" } })).map(
      (a) => a.action,
    );
    assert.deepEqual(actions, ["study.create", "study.settings", "study.questions", "study.publish", "study.close"]);
  });

  test("publish re-checks heat-maps: one deleted after drafting blocks it", async () => {
    const owner = await fixtureCoordinator();
    const { dataset, runs, images } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE"] });
    const { id } = await createDraftStudy(
      parseStudyDraft({
        title: "P",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "pick", imageIds: images.map((i) => i.id) },
        settings,
      }),
      owner.id,
    );
    await db().heatmap.delete({ where: { modelRunId_imageId: { modelRunId: runs[1].id, imageId: images[0].id } } });
    await assert.rejects(
      publishStudy(id, owner.id),
      (e: unknown) =>
        isDomainError(e, "invalid") && missingHeatmapsOf(e).length === 1 && /Cannot publish/.test(e.message),
    );
    assert.equal((await db().study.findUniqueOrThrow({ where: { id } })).status, "DRAFT");
  });

  test("a coordinator manages only their own studies; an admin manages all", async () => {
    const owner = await fixtureCoordinator();
    const stranger = await fixtureCoordinator();
    const { dataset, runs } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE"] });
    const { id } = await createDraftStudy(
      parseStudyDraft({
        title: "Mine",
        datasetId: dataset.id,
        modelRunIds: runs.map((r) => r.id),
        cases: { mode: "sample", size: 2, seed: 1 },
        settings,
      }),
      owner.id,
    );
    assert.equal((await manageableStudy(owner, id)).id, id);
    await assert.rejects(manageableStudy(stranger, id), /No such study/);
    assert.equal((await manageableStudy({ id: stranger.id, role: "ADMIN" }, id)).id, id);
  });
});
