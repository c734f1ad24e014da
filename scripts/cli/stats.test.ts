// `focus stats` on the study's tidy export reproduces the coordinator's results page: the summary and the
// per-specialty breakdown, digit for digit, with an excluded and a revoked reader left out as on the page.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { db, disconnectDb } from "@/lib/db/client";
import { exportStudy } from "@/lib/export/study-exports";
import { revokeInvitation } from "@/lib/studies/invitations";
import { readerCase, submitAnswer } from "@/lib/studies/reader-survey";
import { studyResults } from "@/lib/studies/results";
import { createDraftStudy, publishStudy } from "@/lib/studies/study-commands";
import { setReaderExcluded } from "@/lib/studies/study-lifecycle";
import { parseStudyDraft } from "@/lib/studies/study-schemas";
import { fixtureCoordinator, invitedReader, seedDatasetWithRuns } from "@/lib/testing/seed-runs";
import { captureOutput } from "@/lib/testing/capture-output";
import { main } from "../focus-cli";

after(() => disconnectDb());

const focus = (argv: string[]) => captureOutput(main, argv);

async function publishedStudy(cases: number) {
  const owner = await fixtureCoordinator();
  const { dataset, runs } = await seedDatasetWithRuns({ images: cases, variants: ["BASELINE", "SE", "CBAM", "GC"] });
  const { id } = await createDraftStudy(
    parseStudyDraft({
      title: "focus stats",
      datasetId: dataset.id,
      modelRunIds: runs.map((r) => r.id),
      cases: { mode: "sample", size: cases, seed: 3 },
      questions: [
        { id: "q1", type: "best_map" },
        { id: "q2", type: "rationale", required: false, min: 0, max: 200 },
        { id: "q3", type: "confidence" },
      ],
      settings: {
        showProbabilities: false,
        allowRevisit: true,
        confidenceEnabled: true,
        targetSpecialty: null,
        caseOrder: "random",
      },
    }),
    owner.id,
  );
  await publishStudy(id, owner.id);
  return { owner, studyId: id };
}

/**
 * The reader answers `positions` cases in their own case order; on the study's case i they choose the slot
 * showing `picks[i]` in the slot order they were given.
 */
async function answerInOrder(readerId: string, studyId: string, picks: string[], positions = picks.length) {
  const invitation = await db().invitation.findFirstOrThrow({ where: { studyId, readerId } });
  const order = invitation.caseOrder.length === picks.length ? invitation.caseOrder : picks.map((_, i) => i);
  const arms = await db().studyArm.findMany({ where: { studyId }, include: { modelRun: true } });
  for (let n = 1; n <= positions; n++) {
    const caseIndex = order[n - 1];
    await readerCase(readerId, studyId, n);
    const slots = await db().slotOrder.findFirstOrThrow({ where: { readerId, studyCase: { studyId, caseIndex } } });
    const armIndex = arms.find((a) => a.modelRun.variant === picks[caseIndex])!.armIndex;
    await submitAnswer(readerId, studyId, n, {
      slot: "ABCD"[slots.armOrder.indexOf(armIndex)],
      rationale: "",
      confidence: 3,
      clientTimeMs: 900,
    });
  }
}

describe("focus stats on the tidy export", () => {
  test("reproduces the results page's summary and per-specialty statistics", async () => {
    const { owner, studyId } = await publishedStudy(5);
    const readers = [
      await invitedReader(studyId, owner.id, "DERMATOLOGY", "D1"),
      await invitedReader(studyId, owner.id, "DERMATOLOGY", "D2"),
      await invitedReader(studyId, owner.id, "RADIOLOGY", "R1"),
      await invitedReader(studyId, owner.id, "RADIOLOGY", "Excluded"),
      await invitedReader(studyId, owner.id, "OTHER", "Revoked"),
    ];
    const picks = [
      ["CBAM", "CBAM", "SE", "GC", "CBAM"],
      ["CBAM", "SE", "SE", "GC", "BASELINE"],
      ["GC", "CBAM", "SE", "BASELINE", "CBAM"],
      ["SE", "SE", "SE", "SE", "SE"],
      ["GC", "GC", "GC", "GC", "GC"],
    ];
    // The third reader stops one case short, so the cases are unbalanced.
    for (const [i, r] of readers.entries()) await answerInOrder(r.reader.id, studyId, picks[i], i === 2 ? 4 : 5);
    const invitationOf = async (i: number) =>
      db().invitation.findFirstOrThrow({ where: { studyId, readerId: readers[i].reader.id } });
    await setReaderExcluded({ id: owner.id, role: "COORDINATOR" }, studyId, (await invitationOf(3)).id, true);
    await revokeInvitation((await invitationOf(4)).id, owner.id);

    const page = await studyResults(studyId);
    assert.equal(page.summary.n_readers, 3);
    assert.equal(page.summary.n_answers, 14);
    assert.equal(page.leftOut.length, 2);

    const dir = await mkdtemp(join(tmpdir(), "focus-stats-"));
    try {
      const file = join(dir, "tidy.csv");
      const tidy = await exportStudy(studyId, "tidy", owner.id);
      await writeFile(file, tidy.body);

      const json = await focus(["stats", "--input", file, "--json", "--by", "specialty"]);
      assert.equal(json.code, 0, json.err);
      const { by_group, ...summary } = JSON.parse(json.out) as { by_group: { groups: unknown } } & Record<
        string,
        unknown
      >;
      assert.deepEqual(summary, JSON.parse(JSON.stringify(page.summary)));
      assert.deepEqual(by_group.groups, JSON.parse(JSON.stringify(page.bySpecialty)));
      // The two readers the page leaves out are named on stderr, with their answers.
      for (const r of page.leftOut) {
        assert.match(json.err, new RegExp(`reader "${r.readerId}" is ${r.status}; their ${r.answers} answer`));
      }

      // The table view prints the same counts the page's bars show.
      const table = await focus(["stats", "--input", file]);
      assert.equal(table.code, 0, table.err);
      for (const bar of page.bars) assert.match(table.out, new RegExp(`${bar.label}\\s+${bar.count}\\b`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
