// Training a finished job again, against the real test database: its settings as the new request's start, the
// datasets it may go to (its own, newer imports from the same source), the comparison of new and old runs, and
// a study built on the old runs keeping them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { db, disconnectDb } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors/domain-error";
import { createStudyFixture, type StudyFixture } from "@/lib/testing/study-fixture";
import { enqueueTraining } from "./enqueue";
import { parseTrainingRequest } from "./job-inputs";
import { retrainFormValues } from "./job-forms";
import { datasetJobs, retrainComparison, retrainSource, retrainTargets } from "./retraining";
import { cancelLeftoverRuns } from "./test-support";

const tag = randomBytes(4).toString("hex");
const source = `/imports/${tag}/isic`;
let study: StudyFixture;
let oldDatasetId: string;
let newerId: string;
let unrelatedId: string;
const jobIds: string[] = [];
const boss = { send: (_q: string, d: { runId: string }) => Promise.resolve(d.runId) } as unknown as PgBoss;

const dataset = (name: string, src: string) =>
  db().dataset.create({
    data: { name: `${name}-${tag}`, modality: "SKIN", classNames: ["b", "m"], imageSize: 8, splitSeed: 1, source: src },
  });

before(async () => {
  study = await createStudyFixture({ arms: 2 });
  const job = await db().trainingJob.findUniqueOrThrow({ where: { id: study.jobId } });
  oldDatasetId = job.datasetId;
  await db().dataset.update({
    where: { id: oldDatasetId },
    data: { source, createdAt: new Date(Date.now() - 60_000) },
  });
  newerId = (await dataset("newer", source)).id;
  unrelatedId = (await dataset("unrelated", `/imports/${tag}/other`)).id;
});

after(async () => {
  await cancelLeftoverRuns(jobIds);
  await disconnectDb();
});

describe("training a finished job again", () => {
  test("its settings and variants start the new request; the form keeps what it cannot show as a note", async () => {
    const s = await retrainSource(study.jobId);
    assert.equal(s.datasetId, oldDatasetId);
    assert.deepEqual(s.variants, ["baseline", "se"]);
    assert.equal(s.params.epochs, 1);
    const form = retrainFormValues(s.params, s.seeds);
    assert.equal(form.values.epochs, 1);
    assert.equal(form.base, "paper");
    assert.equal(form.note, undefined);
    assert.match(retrainFormValues(s.params, [7, 11]).note ?? "", /seeds 7, 11/);
    assert.equal(retrainFormValues({ ...s.params, lrDropAt: [0.75] }, [1]).base, "cpu-quick");
  });

  test("goes to the job's own dataset or a newer import from the same source, nowhere else", async () => {
    const targets = await retrainTargets(study.jobId);
    assert.deepEqual(
      targets.map((t) => [t.id, t.newerImport]),
      [
        [oldDatasetId, false],
        [newerId, true],
      ],
    );
    await assert.rejects(
      () =>
        enqueueTraining(
          parseTrainingRequest({
            datasetId: unrelatedId,
            variants: ["baseline"],
            seeds: 1,
            params: { inputSize: 32, width: 0.25 },
            retrainOf: study.jobId,
          }),
          { boss },
        ),
      (e: unknown) => isDomainError(e, "invalid") && e.fields[0]?.field === "datasetId",
    );
  });

  test("an unfinished job cannot be trained again yet", async () => {
    const running = await db().trainingJob.create({
      data: { datasetId: oldDatasetId, variants: ["GC"], seeds: [1], params: {}, status: "RUNNING" },
    });
    await assert.rejects(
      () => retrainSource(running.id),
      (e: unknown) => isDomainError(e, "conflict"),
    );
    await db().trainingJob.delete({ where: { id: running.id } });
  });

  test("the new job on a newer import, edited first, is compared with the old one; the study keeps its runs", async () => {
    const s = await retrainSource(study.jobId);
    const job = await enqueueTraining(
      parseTrainingRequest({
        datasetId: newerId,
        variants: s.variants,
        seeds: s.seeds,
        params: { ...s.params, inputSize: 32, width: 0.25 },
        retrainOf: study.jobId,
      }),
      { boss },
    );
    jobIds.push(job.id);
    assert.equal(job.retrainedFromId, study.jobId);
    assert.equal(job.runs.length, 2);
    assert.ok(job.runs.every((r) => !study.runIds.includes(r.id)));
    for (const r of job.runs) {
      await db().modelRun.update({ where: { id: r.id }, data: { status: "SUCCEEDED", valAuc: 0.9 } });
    }

    const c = await retrainComparison(job.id);
    assert.ok(c);
    assert.equal(c.oldJob.id, study.jobId);
    assert.equal(c.newJob.datasetId, newerId);
    assert.ok(c.changes.includes("inputSize: 224 → 32"), c.changes.join("; "));
    assert.deepEqual(
      c.variants.map((v) => [v.variant, v.old.mean, v.new.mean, Number(v.difference?.toFixed(6))]),
      [
        ["BASELINE", 0.8, 0.9, 0.1],
        ["SE", 0.8, 0.9, 0.1],
      ],
    );
    assert.equal(await retrainComparison(study.jobId), null);

    const [old] = await datasetJobs(oldDatasetId);
    assert.deepEqual(
      old.retrainedBy.map((r) => r.id),
      [job.id],
    );
    const [fresh] = await datasetJobs(newerId);
    assert.equal(fresh.retrainedFrom?.id, study.jobId);

    // The study was built on the old runs and still is: same arms, and the old runs are untouched.
    const arms = await db().studyArm.findMany({ where: { studyId: study.studyId }, orderBy: { armIndex: "asc" } });
    assert.deepEqual(
      arms.map((a) => a.modelRunId),
      study.runIds,
    );
    const oldRuns = await db().modelRun.findMany({ where: { id: { in: study.runIds } } });
    assert.ok(oldRuns.every((r) => r.status === "SUCCEEDED" && r.valAuc === 0.8 && r.jobId === study.jobId));
  });
});
