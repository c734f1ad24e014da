// Repeated cases: the seeded selection and order, the reader's extra readings (fresh slot order and tokens, own
// answers), progress, the setting's bounds, and intra-reader agreement on the results page, in the exports and in
// `focus stats` on those exports.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { isDomainError } from "../errors/domain-error";
import { slotOrder } from "../blinding/slot-design";
import {
  effectiveRepeatCases,
  readingCount,
  readingOrder,
  repeatSlotSeed,
  seededRepeatOrder,
  slotSeedOf,
} from "./case-order";
import { nextOpenCase, readerCase, readerStudies, submitAnswer } from "./reader-survey";
import { readerReview } from "./reader-survey-review";
import { studyProgress } from "./progress";
import { studyResults } from "./results";
import { readerAnswersForCoordinator } from "./reader-answers";
import { updateStudySettings } from "./study-commands";
import { readSettings } from "./study-settings";
import { parseStudySettings } from "./study-schemas";
import { exportStudyAnswers } from "../export/answers-export";
import { exportStudy, type StudyJsonExport } from "../export/study-exports";
import { runStatsCli } from "../stats/cli";
import { intraReaderAgreement } from "../stats/intra-reader-agreement";

after(() => disconnectDb());

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("repeat selection and reading order", () => {
  test("the repeated cases are the first k of a seeded permutation, stable, distinct, per reader", () => {
    const order = seededRepeatOrder("seed-r", 0, 12);
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      range(12),
    );
    assert.deepEqual(seededRepeatOrder("seed-r", 0, 12), order);
    assert.notDeepEqual(seededRepeatOrder("seed-r", 1, 12), order);
    const seed = { designSeed: "seed-r", readerIndex: 0 };
    assert.deepEqual(effectiveRepeatCases(order, 12, 4, seed), order.slice(0, 4));
    // Growing k in a draft keeps the cases already chosen: the stored permutation's prefix.
    assert.deepEqual(effectiveRepeatCases(order, 12, 6, seed).slice(0, 4), order.slice(0, 4));
    assert.deepEqual(effectiveRepeatCases(order, 12, 0, seed), []);
    assert.deepEqual(effectiveRepeatCases(order, 12, 99, seed).length, 12);
    // An invitation from before repeats (nothing stored) reads the same seeded selection.
    assert.deepEqual(effectiveRepeatCases([], 12, 4, seed), order.slice(0, 4));
    // Over readers, the repeats spread over the cases instead of always repeating the same ones.
    const firsts = new Set(range(40).map((r) => seededRepeatOrder("spread", r, 10)[0]));
    assert.ok(firsts.size >= 6, `only ${firsts.size} distinct first repeats over 40 readers`);
  });

  test("readings: every case once in the reader's order, then the repeats; counts", () => {
    assert.deepEqual(readingOrder([2, 0, 1], [1]), [
      { caseIndex: 2, repeat: 0 },
      { caseIndex: 0, repeat: 0 },
      { caseIndex: 1, repeat: 0 },
      { caseIndex: 1, repeat: 1 },
    ]);
    assert.equal(readingCount(5, { repeatedCases: 2 }), 7);
    assert.equal(readingCount(5, { repeatedCases: 9 }), 10);
  });

  test("a repeat's slot design has its own seed: balanced like the first, unrelated to it", () => {
    assert.equal(slotSeedOf("s", 0), "s");
    assert.equal(slotSeedOf("s", 1), repeatSlotSeed("s"));
    assert.notEqual(repeatSlotSeed("s"), repeatSlotSeed("t"));
    // Balanced across readers per case (Williams design), as every first reading.
    const k = 3;
    const counts = range(k).map(() => range(k).map(() => 0));
    for (const r of range(k)) {
      const order = slotOrder({ studySeed: repeatSlotSeed("s"), readerIndex: r, caseIndex: 4, armCount: k });
      order.forEach((arm, slot) => counts[arm][slot]++);
    }
    assert.ok(counts.flat().every((c) => c === 1));
    // Not the first reading's order over many (reader, case) cells: as often equal as two unrelated orders (1/k!).
    let same = 0;
    const cells = 600;
    for (let c = 0; c < cells; c++) {
      const input = { readerIndex: c % 7, caseIndex: c, armCount: k };
      const a = slotOrder({ studySeed: "s", ...input });
      const b = slotOrder({ studySeed: repeatSlotSeed("s"), ...input });
      if (a.join() === b.join()) same++;
    }
    assert.ok(same > cells / 6 / 2 && same < (cells / 6) * 2, `${same} of ${cells} repeats kept the first order`);
  });
});

/** The slot letter that shows `armIndex` to the reader on that reading (as a reader would pick "the same map"). */
async function letterOf(readerId: string, caseId: string, repeat: number, armIndex: number): Promise<string> {
  const so = await db().slotOrder.findUniqueOrThrow({
    where: { readerId_studyCaseId_repeat: { readerId, studyCaseId: caseId, repeat } },
  });
  return String.fromCharCode(65 + so.armOrder.indexOf(armIndex));
}

async function statsOutput(body: string, name: string, json: boolean, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "focus-repeats-"));
  try {
    const file = join(dir, name);
    await writeFile(file, body);
    let out = "";
    let err = "";
    const argv = ["--input", file, ...(json ? ["--json"] : []), ...extra];
    const code = await runStatsCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    assert.equal(code, 0, err);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function statsJson(body: string, name: string) {
  return JSON.parse(await statsOutput(body, name, true)) as { n_answers: number; intra_reader?: unknown };
}

describe("a study that repeats cases", () => {
  test("readers get k more cases, each with a fresh order; results, exports and focus stats agree", async () => {
    const f = await createStudyFixture({ cases: 4, arms: 3, settings: { repeatedCases: 3, caseOrder: "random" } });
    const r1 = await f.inviteReader();
    const r2 = await f.inviteReader();
    const caseIdOf = new Map(
      (await db().studyCase.findMany({ where: { studyId: f.studyId } })).map((c) => [c.caseIndex, c.id]),
    );
    const readingsOf = async (invitationId: string) => {
      const inv = await db().invitation.findUniqueOrThrow({ where: { id: invitationId } });
      assert.equal(inv.repeatOrder.length, 4);
      return readingOrder(inv.caseOrder, inv.repeatOrder.slice(0, 3));
    };
    // Reader 1 picks the same arm again on every repeat; reader 2 another one.
    const plan = [
      { r: r1, armFor: (caseIndex: number, repeat: number) => (caseIndex + 0 * repeat) % 3 },
      { r: r2, armFor: (caseIndex: number, repeat: number) => (caseIndex + repeat) % 3 },
    ];
    for (const { r, armFor } of plan) {
      const readings = await readingsOf(r.invitationId);
      for (const [p, reading] of readings.entries()) {
        const view = await readerCase(r.readerId, f.studyId, p + 1);
        assert.equal(view.total, 7);
        assert.equal(view.caseNumber, p + 1);
        const caseId = caseIdOf.get(reading.caseIndex)!;
        const slot = await letterOf(r.readerId, caseId, reading.repeat, armFor(reading.caseIndex, reading.repeat));
        const res = await submitAnswer(r.readerId, f.studyId, p + 1, {
          slot,
          rationale: "the lesion rim",
          confidence: 3,
        });
        assert.equal(res.answered, p + 1);
        assert.equal(res.nextCase, p + 2 <= 7 ? p + 2 : null);
      }
      await assert.rejects(readerCase(r.readerId, f.studyId, 8), (e) => isDomainError(e, "not-found"));
    }

    // A repeat has its own slot order (from the repeat design) and its own tokens; nothing links its URLs to the first.
    const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId } });
    const inv1 = await db().invitation.findUniqueOrThrow({ where: { id: r1.invitationId } });
    const orders = await db().slotOrder.findMany({
      where: { readerId: r1.readerId, studyCase: { studyId: f.studyId } },
      include: { blindTokens: true, studyCase: true },
    });
    assert.equal(orders.length, 7);
    for (const o of orders.filter((x) => x.repeat === 1)) {
      const expected = slotOrder({
        studySeed: repeatSlotSeed(study.designSeed),
        readerIndex: inv1.readerIndex,
        caseIndex: o.studyCase.caseIndex,
        armCount: 3,
      });
      assert.deepEqual(o.armOrder, expected);
      const first = orders.find((x) => x.repeat === 0 && x.studyCaseId === o.studyCaseId)!;
      const firstTokens = new Set(first.blindTokens.map((t) => t.token));
      assert.equal(o.blindTokens.length, 4);
      assert.ok(o.blindTokens.every((t) => !firstTokens.has(t.token)));
    }
    assert.equal(
      await db().response.count({ where: { readerId: r1.readerId, repeat: 1, submittedAt: { not: null } } }),
      3,
    );

    // Progress counts the repeats like any other case.
    assert.equal(await nextOpenCase(r1.readerId, f.studyId), null);
    assert.deepEqual(
      (await readerStudies(r1.readerId, f.studyId)).map((s) => [s.answered, s.total]),
      [[7, 7]],
    );
    const review = await readerReview(r1.readerId, f.studyId);
    assert.deepEqual(
      review.rows.map((x) => [x.caseNumber, x.status]),
      range(7).map((i) => [i + 1, "answered"]),
    );
    const progress = await studyProgress(f.studyId);
    assert.deepEqual(
      progress.readers.map((x) => [x.answered, x.total]),
      [
        [7, 7],
        [7, 7],
      ],
    );
    assert.equal(progress.completion, 1);

    // Results: every other statistic reads the first readings; intra-reader kappa per reader and the mean.
    const results = await studyResults(f.studyId);
    assert.equal(results.summary.n_answers, 8);
    assert.equal(results.rows.length, 8);
    assert.equal(results.repeatedCases, 3);
    const intra = results.intraReader!;
    assert.deepEqual(
      intra.readers.map((x) => [x.readerId, x.n_pairs]),
      [r1.pseudonym, r2.pseudonym].sort().map((p) => [p, 3]),
    );
    const k1 = intra.readers.find((x) => x.readerId === r1.pseudonym)!.kappa;
    assert.ok(k1.defined);
    assert.equal(k1.kappa, 1);
    // Reader 2: the same pairs through the estimator directly, from the arms as labelled in the export.
    const rows = results.rows;
    const label = (caseIndex: number, repeat: number) =>
      results.arms.find((a) => a.armIndex === (caseIndex + repeat) % 3)!.label;
    const repeats2 = (await readingsOf(r2.invitationId)).filter((x) => x.repeat === 1);
    const direct = intraReaderAgreement(
      repeats2.map((x) => ({
        readerId: r2.pseudonym,
        caseId: caseIdOf.get(x.caseIndex)!,
        first: label(x.caseIndex, 0),
        repeat: label(x.caseIndex, 1),
      })),
    );
    assert.deepEqual(
      intra.readers.find((x) => x.readerId === r2.pseudonym),
      direct.readers[0],
    );
    assert.ok(intra.mean_kappa.defined);
    assert.equal(rows.filter((x) => x.reader_id === r2.pseudonym).length, 4);

    // The answers CSV and the tidy CSV carry the repeat column; `focus stats` on either reproduces the page.
    const csv = await exportStudyAnswers(f.studyId, "csv", f.ownerId);
    assert.match(csv.body.split("\r\n")[0], /,repeat,/);
    const fromCsv = await statsJson(csv.body, "answers.csv");
    assert.equal(fromCsv.n_answers, 8);
    assert.deepEqual(fromCsv.intra_reader, JSON.parse(JSON.stringify(intra)));
    const text = await statsOutput(csv.body, "answers.csv", false);
    assert.match(text, /Intra-reader agreement on repeated cases/);
    const meanText = (intra.mean_kappa as { kappa: number }).kappa.toFixed(3);
    assert.ok(text.includes(`Mean kappa: ${meanText} over 2 readers`), text);
    assert.match(text, new RegExp(`${r1.pseudonym}\\s+3\\s+1\\.000`));
    const tidy = await exportStudy(f.studyId, "tidy", f.ownerId);
    const fromTidy = await statsJson(tidy.body, "tidy.csv");
    assert.deepEqual(fromTidy.intra_reader, JSON.parse(JSON.stringify(intra)));
    // Per specialty (both readers are dermatologists in the fixture): the page's figure, and `--by specialty`'s.
    assert.deepEqual(
      results.intraReaderBySpecialty!.map((g) => [g.group, g.n_readers]),
      [["dermatology", 2]],
    );
    assert.deepEqual(results.intraReaderBySpecialty![0].mean_kappa, intra.mean_kappa);
    const bySpecialty = JSON.parse(await statsOutput(csv.body, "answers.csv", true, ["--by", "specialty"])) as {
      intra_reader_by_group: unknown;
    };
    assert.deepEqual(
      bySpecialty.intra_reader_by_group,
      JSON.parse(JSON.stringify({ column: "specialty", groups: results.intraReaderBySpecialty })),
    );

    // The hanging list names each reader's repeats after the last case, with their own slots.
    const full = JSON.parse((await exportStudy(f.studyId, "full", f.ownerId)).body) as StudyJsonExport;
    assert.equal(full.settings.repeatedCases, 3);
    const hanging = full.readers.find((x) => x.reader === r1.pseudonym)!.hanging;
    assert.deepEqual(
      hanging.map((h) => [h.position, h.repeat]),
      range(7).map((i) => [i + 1, i < 4 ? 0 : 1]),
    );
    const tidyRepeats = full.answers.filter((a) => a.repeat === 1 && a.question === "best_map");
    assert.equal(tidyRepeats.length, 6);
    assert.ok(tidyRepeats.every((a) => Number(a.position) > 4));

    // The coordinator's view of one reader lists the repeats after the cases, marked.
    const view = await readerAnswersForCoordinator(f.studyId, r1.invitationId);
    assert.deepEqual(
      view.rows.map((x) => x.repeat),
      [false, false, false, false, true, true, true],
    );
    assert.ok(view.rows.every((x) => x.status === "answered" && x.arm !== null));
  });

  test("no repeats: intra-reader agreement is absent from the results and the CLI output", async () => {
    const f = await createStudyFixture({ cases: 2, arms: 2 });
    const r = await f.inviteReader();
    await readerCase(r.readerId, f.studyId, 1);
    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "the lesion rim" });
    const results = await studyResults(f.studyId);
    assert.equal(results.intraReader, null);
    assert.equal(results.repeatedCases, 0);
    await assert.rejects(readerCase(r.readerId, f.studyId, 3), (e) => isDomainError(e, "not-found"));
    const csv = await exportStudyAnswers(f.studyId, "csv", f.ownerId);
    assert.equal((await statsJson(csv.body, "answers.csv")).intra_reader, undefined);
  });

  test("the setting: at most the number of cases, and only while the study is a draft", async () => {
    const f = await createStudyFixture({ cases: 3, arms: 2, status: "DRAFT" });
    const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId } });
    const settings = readSettings(study.settings);
    await assert.rejects(
      updateStudySettings(f.studyId, parseStudySettings({ ...settings, repeatedCases: 4 }), f.ownerId),
      (e) => isDomainError(e, "invalid") && e.fields.some((x) => x.field === "repeatedCases"),
    );
    assert.equal(
      readSettings((await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).settings).repeatedCases,
      0,
    );
    assert.throws(
      () => parseStudySettings({ ...settings, repeatedCases: -1 }),
      (e) => isDomainError(e, "invalid") && e.fields.some((x) => x.field === "repeatedCases"),
    );
    await updateStudySettings(f.studyId, parseStudySettings({ ...settings, repeatedCases: 3 }), f.ownerId);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "study.settings", subject: f.studyId },
      orderBy: { createdAt: "desc" },
    });
    assert.equal((audit.details as { repeatedCases: number }).repeatedCases, 3);
    await db().study.update({ where: { id: f.studyId }, data: { status: "OPEN" } });
    await assert.rejects(
      updateStudySettings(f.studyId, parseStudySettings({ ...settings, repeatedCases: 1 }), f.ownerId),
      (e) => isDomainError(e, "conflict"),
    );
  });
});
