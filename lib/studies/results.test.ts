// Results and progress against the test database, with answers given through the reader's own code path.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { db, disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator, invitedReader } from "../testing/seed-runs";
import { createDraftStudy, publishStudy } from "./study-commands";
import { parseStudyDraft } from "./study-schemas";
import { readerCase, submitAnswer } from "./reader-survey";
import { studyResults, localisationAgreement, armBars, armEffort } from "./results";
import { studyProgress, median, latest } from "./progress";
import { answersToCsv } from "../export/answers-export";
import { runStatsCli } from "../stats/cli";
import { summarize } from "../stats/summary";

after(() => disconnectDb());

const settings = {
  showProbabilities: false,
  rationaleRequired: true,
  rationaleMin: 2,
  rationaleMax: 200,
  allowRevisit: true,
  confidenceEnabled: true,
  targetSpecialty: null,
  // "Case n" is the study's case n here; per-reader orders are tested in lib/studies/case-order.test.ts.
  caseOrder: "fixed" as const,
};

/** A published 4-arm study on 6 cases; CBAM (index 2) localises best everywhere in the fixture's energy. */
async function publishedStudy(cases = 6) {
  const owner = await fixtureCoordinator();
  const { dataset, runs } = await seedDatasetWithRuns({
    images: cases,
    variants: ["BASELINE", "SE", "CBAM", "GC"],
    energy: (v) => [0.3, 0.4, 0.9, 0.5][v],
  });
  const { id } = await createDraftStudy(
    parseStudyDraft({
      title: "Results",
      datasetId: dataset.id,
      modelRunIds: runs.map((r) => r.id),
      cases: { mode: "sample", size: cases, seed: 5 },
      settings,
    }),
    owner.id,
  );
  await publishStudy(id, owner.id);
  return { owner, studyId: id, runs };
}

/** Answers case n choosing the slot that shows `variant`, found by reading the slot order the reader got. */
async function answer(readerId: string, studyId: string, n: number, variant: string, rationale = "clear focus") {
  await readerCase(readerId, studyId, n);
  const order = await db().slotOrder.findFirstOrThrow({
    where: { readerId, studyCase: { studyId, caseIndex: n - 1 } },
  });
  const arms = await db().studyArm.findMany({ where: { studyId }, include: { modelRun: true } });
  const armIndex = arms.find((a) => a.modelRun.variant === variant)!.armIndex;
  const slot = order.armOrder.indexOf(armIndex);
  await submitAnswer(readerId, studyId, n, { slot: "ABCDEF"[slot], rationale, confidence: 4, clientTimeMs: 1000 * n });
}

describe("pure helpers", () => {
  test("median of odd and even lists, empty is null", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
  });
  test("latest ignores missing dates", () => {
    const a = new Date("2024-01-01");
    const b = new Date("2024-02-01");
    assert.equal(latest(null, a, undefined, b), b);
    assert.equal(latest(null), null);
  });
  test("localisation agreement counts ties for every tied arm and reports chance", () => {
    const energy = new Map([
      [
        "c1",
        new Map([
          ["a", 0.9],
          ["b", 0.1],
        ]),
      ],
      [
        "c2",
        new Map([
          ["a", 0.5],
          ["b", 0.5],
        ]),
      ],
      ["c3", new Map([["a", 0.2]])], // b missing: case left out
    ]);
    const rows = [
      { case_id: "c1", choice: "a" },
      { case_id: "c1", choice: "b" },
      { case_id: "c2", choice: "b" },
      { case_id: "c3", choice: "a" },
    ];
    const r = localisationAgreement(rows, energy, ["a", "b"])!;
    assert.equal(r.answersConsidered, 3);
    assert.equal(r.bestChosen, 2);
    assert.equal(r.chanceShare, (0.5 + 0.5 + 1) / 3);
    assert.deepEqual(r.bestCasesByArm, { a: 2, b: 1 });
    assert.equal(localisationAgreement(rows, new Map(), ["a", "b"]), null);
  });
  test("bars include arms nobody chose, with a Wilson interval starting at 0", () => {
    const s = summarize([
      { caseId: "1", readerId: "r", choice: "a" },
      { caseId: "2", readerId: "r", choice: "a" },
    ]);
    const bars = armBars(["a", "b"], s);
    assert.equal(bars[1].count, 0);
    assert.equal(bars[1].share, 0);
    assert.equal(bars[1].ciLow, 0);
    assert.ok(bars[1].ciHigh! > 0.5 && bars[1].ciHigh! < 0.9);
  });
});

describe("study results and progress (real database)", () => {
  test("progress counts answers per reader, last activity and median server time", async () => {
    const { owner, studyId } = await publishedStudy(4);
    const r1 = await invitedReader(studyId, owner.id, "DERMATOLOGY", "Ann");
    await invitedReader(studyId, owner.id, "RADIOLOGY", "Bob");
    await answer(r1.reader.id, studyId, 1, "CBAM");
    await answer(r1.reader.id, studyId, 2, "SE");
    await answer(r1.reader.id, studyId, 3, "CBAM");
    // Fix server times so the median is known: 1000, 5000, 2000 -> 2000.
    const rows = await db().response.findMany({ where: { readerId: r1.reader.id }, include: { studyCase: true } });
    for (const r of rows)
      await db().response.update({
        where: { id: r.id },
        data: { serverTimeMs: [1000, 5000, 2000][r.studyCase.caseIndex] },
      });
    const p = await studyProgress(studyId);
    assert.equal(p.total, 4);
    const ann = p.readers.find((x) => x.name === "Ann")!;
    const bob = p.readers.find((x) => x.name === "Bob")!;
    assert.equal(ann.answered, 3);
    assert.equal(ann.medianServerTimeMs, 2000);
    assert.ok(ann.lastActiveAt && Date.now() - ann.lastActiveAt.getTime() < 60_000);
    assert.equal(bob.answered, 0);
    assert.equal(bob.lastActiveAt, null);
    assert.equal(bob.medianServerTimeMs, null);
    assert.equal(p.completion, 3 / 8);
  });

  test("page statistics equal the CLI's on the exported CSV, per specialty too", async () => {
    const { owner, studyId } = await publishedStudy(6);
    const readers = [
      await invitedReader(studyId, owner.id, "DERMATOLOGY", "D1"),
      await invitedReader(studyId, owner.id, "DERMATOLOGY", "D2"),
      await invitedReader(studyId, owner.id, "RADIOLOGY", "R1"),
    ];
    const picks = [
      ["CBAM", "CBAM", "SE", "CBAM", "GC", "CBAM"],
      ["CBAM", "SE", "SE", "CBAM", "GC", "BASELINE"],
      ["GC", "CBAM", "SE", "BASELINE", "GC", "CBAM"],
    ];
    for (const [i, r] of readers.entries())
      for (const [c, v] of picks[i].entries())
        await answer(
          r.reader.id,
          studyId,
          c + 1,
          v,
          i === 0 && c === 0 ? '=HYPERLINK("http://x","y")' : "focus on lesion",
        );

    const res = await studyResults(studyId);
    assert.equal(res.rows.length, 18);
    assert.deepEqual(res.summary.counts, { baseline: 2, cbam: 8, gc: 4, se: 4 });
    assert.deepEqual(
      res.bars.map((b) => b.label),
      ["baseline", "se", "cbam", "gc"],
    );
    assert.deepEqual(res.unchosenArms, []);
    assert.equal(res.bySpecialty.map((g) => g.group).join(","), "dermatology,radiology");
    // Every case has 3 answers, so Fleiss and Gwet are defined.
    assert.notEqual(res.summary.fleiss_kappa, null);
    assert.notEqual(res.summary.gwet_ac1, null);
    // Localisation: CBAM is best on every case, chosen 8 of 18 times, chance 1/4.
    assert.equal(res.localisation!.bestChosen, 8);
    assert.equal(res.localisation!.answersConsidered, 18);
    assert.equal(res.localisation!.chanceShare, 0.25);
    // Per-case majority from the same rows.
    const case5 = res.cases.find((c) => c.caseNumber === 5)!;
    assert.equal(case5.majority, "gc");
    assert.equal(case5.agreementShare, 1);
    assert.deepEqual(case5.bestLocalised, ["cbam"]);

    const dir = await mkdtemp(join(tmpdir(), "focus-results-"));
    try {
      const file = join(dir, "answers.csv");
      await writeFile(file, answersToCsv(res.rows));
      let out = "";
      const code = await runStatsCli(["stats", "--input", file, "--json", "--by", "specialty"], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
      });
      assert.equal(code, 0);
      const cli = JSON.parse(out) as { by_group: { groups: unknown } } & Record<string, unknown>;
      const page = JSON.parse(JSON.stringify(res.summary)) as unknown;
      const { by_group, ...cliSummary } = cli;
      assert.deepEqual(cliSummary, page);
      assert.deepEqual(by_group.groups, JSON.parse(JSON.stringify(res.bySpecialty)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("revoked readers, one reader, effort per arm", () => {
  test("a revoked reader's answers are listed as left out and counted nowhere", async () => {
    const { owner, studyId } = await publishedStudy(2);
    const kept = await invitedReader(studyId, owner.id, "DERMATOLOGY", "Kept");
    const gone = await invitedReader(studyId, owner.id, "RADIOLOGY", "Gone");
    await answer(kept.reader.id, studyId, 1, "CBAM");
    await answer(gone.reader.id, studyId, 1, "SE");
    await answer(gone.reader.id, studyId, 2, "SE");
    const before = await studyResults(studyId);
    assert.equal(before.summary.n_readers, 2);
    const invitation = await db().invitation.findFirstOrThrow({ where: { studyId, readerId: gone.reader.id } });
    const { revokeInvitation } = await import("./invitations");
    await revokeInvitation(invitation.id, owner.id);
    const res = await studyResults(studyId);
    assert.deepEqual(res.leftOut, [{ readerId: gone.reader.pseudonym, status: "revoked", answers: 2 }]);
    assert.equal(res.summary.n_readers, 1);
    assert.equal(res.summary.n_answers, 1);
    assert.deepEqual(res.summary.counts, { cbam: 1 });
    assert.ok(res.rows.every((r) => r.reader_id === kept.reader.pseudonym));
    assert.ok(res.bySpecialty.every((g) => g.group !== "radiology"));
    // One reader left: no agreement coefficient is defined.
    assert.equal(res.summary.fleiss_kappa, null);
    assert.equal(res.summary.krippendorff_alpha, null);
    assert.equal(res.summary.mean_pairwise_cohen_kappa, null);
    assert.deepEqual(
      res.cases[0].choices.map((c) => c.slot.length),
      [1],
    );
  });

  test("confidence mean ± sd and median time per chosen arm", () => {
    const rows = [
      { choice: "a", confidence: 2, time_server_ms: 1000 },
      { choice: "a", confidence: 4, time_server_ms: 3000 },
      { choice: "a", confidence: null, time_server_ms: 8000 },
      { choice: "b", confidence: 5, time_server_ms: null },
    ];
    const [a, b, c] = armEffort(["a", "b", "c"], rows);
    assert.deepEqual(a, {
      label: "a",
      answers: 3,
      confidenceN: 2,
      confidenceMean: 3,
      confidenceSd: Math.SQRT2,
      timeMedianMs: 3000,
    });
    assert.deepEqual(b, {
      label: "b",
      answers: 1,
      confidenceN: 1,
      confidenceMean: 5,
      confidenceSd: null,
      timeMedianMs: null,
    });
    assert.deepEqual(c, {
      label: "c",
      answers: 0,
      confidenceN: 0,
      confidenceMean: null,
      confidenceSd: null,
      timeMedianMs: null,
    });
  });
});
