import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { db } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { readerCase, saveDraft, submitAnswer, readerStudies, nextOpenCase, type BlindPayload } from "./reader-survey";
import { blindFileKey } from "../http/blind-response";
import { forbiddenTermsForStudy, findStudyLeaks } from "../blinding/leak-scan";
import { DomainError, isDomainError } from "../errors/domain-error";
import { STATUS_OF_KIND } from "../http/error-status";

const rejectsWith = (p: Promise<unknown>, status: number) =>
  assert.rejects(p, (e: unknown) => isDomainError(e) && STATUS_OF_KIND[e.kind] === status);

/** The token of a blinded URL (`/api/blind/<token>` or `/api/blind/<token>/cam`). */
const tokenOf = (url: string) => /^\/api\/blind\/([A-Za-z0-9_-]{20,64})(?:\/cam)?$/.exec(url)![1];

/** The storage key the blind routes serve this reader, signed in through this invitation, for a token. */
async function served(
  reader: { readerId: string; invitationId: string },
  token: string,
  kind: BlindPayload = "picture",
) {
  const user = await db().user.findUniqueOrThrow({ where: { id: reader.readerId } });
  const invitation = await db().invitation.findUniqueOrThrow({ where: { id: reader.invitationId } });
  const claims = { uid: user.id, sv: user.sessionVersion, inv: invitation.id, isv: invitation.sessionVersion };
  const key = await blindFileKey(claims, token, kind);
  return key ? { key } : null;
}

async function responses(studyId: string, readerId: string) {
  return db().response.findMany({ where: { readerId, studyCase: { studyId } } });
}

describe("reader survey (real database)", () => {
  test("a case view names slots and opaque URLs only", async () => {
    const f = await createStudyFixture();
    const r = await f.inviteReader();
    const view = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual(
      view.slots.map((s) => s.letter),
      ["A", "B", "C", "D"],
    );
    const heatmapIds = f.heatmapIds;
    const hashes = (
      await db().heatmap.findMany({ where: { id: { in: heatmapIds } }, select: { overlayKey: true } })
    ).map((h) => h.overlayKey.split("/").pop()!.split(".")[0]);
    const terms = forbiddenTermsForStudy({
      variants: f.variants.map((v) => v.toLowerCase()),
      ids: [...f.runIds, f.jobId, ...heatmapIds, ...hashes],
    });
    assert.deepEqual(findStudyLeaks(JSON.stringify(view), terms), []);
    // Tokens are unique per slot and per reader.
    const r2 = await f.inviteReader();
    const view2 = await readerCase(r2.readerId, f.studyId, 1);
    const urls = new Set([
      view.imageUrl,
      ...view.slots.map((s) => s.url),
      view2.imageUrl,
      ...view2.slots.map((s) => s.url),
    ]);
    assert.equal(urls.size, 10);
  });

  test("a reader's token resolves only for that reader", async () => {
    const f = await createStudyFixture();
    const a = await f.inviteReader();
    const b = await f.inviteReader();
    const view = await readerCase(a.readerId, f.studyId, 2);
    const token = tokenOf(view.slots[0].url);
    assert.ok(await served(a, token));
    assert.equal(await served(b, token), null);
    assert.equal(await served(a, "not-a-token"), null);
    // The slot's heat-map is the one of the arm the design put there.
    const order = await db().slotOrder.findFirstOrThrow({
      where: { readerId: a.readerId, studyCase: { caseIndex: 1, studyId: f.studyId } },
    });
    const hm = await db().heatmap.findFirstOrThrow({
      where: {
        modelRunId: f.runIds[order.armOrder[0]],
        image: { studyCases: { some: { studyId: f.studyId, caseIndex: 1 } } },
      },
    });
    assert.equal((await served(a, token))!.key, hm.overlayKey);
    assert.equal((await served(a, token, "cam"))!.key, hm.camKey);
    assert.equal(await served(b, token, "cam"), null);
    // The original's token gives its display copy, and no raw map.
    const original = tokenOf(view.imageUrl);
    const image = await db().image.findUniqueOrThrow({ where: { id: hm.imageId } });
    assert.ok(image.displayKey);
    assert.equal((await served(a, original))!.key, image.displayKey);
    assert.equal(await served(a, original, "cam"), null);
  });

  test("raw maps and display copies: the case is drawn from them, in the study's colours; older rows fall back", async () => {
    const f = await createStudyFixture({ arms: 6, settings: { colourMap: "viridis" } });
    const r = await f.inviteReader();
    const view = await readerCase(r.readerId, f.studyId, 1);
    assert.equal(view.mapFormat, "cam");
    assert.equal(view.colourMap, "viridis");
    assert.deepEqual(
      view.slots.map((s) => s.letter),
      ["A", "B", "C", "D", "E", "F"],
    );
    for (const s of view.slots) assert.equal(s.camUrl, `${s.url}/cam`);
    assert.equal(new Set(view.slots.map((s) => s.camUrl)).size, 6);

    const legacy = await createStudyFixture({ legacy: true });
    const lr = await legacy.inviteReader();
    const old = await readerCase(lr.readerId, legacy.studyId, 1);
    assert.equal(old.mapFormat, "overlay");
    assert.equal(old.colourMap, "jet");
    for (const s of old.slots) assert.equal(s.camUrl, null);
    const image = await db().image.findFirstOrThrow({
      where: { studyCases: { some: { studyId: legacy.studyId, caseIndex: 0 } } },
    });
    assert.equal((await served(lr, tokenOf(old.imageUrl)))!.key, image.fileKey);
    // One slot without a raw map puts the whole case on the overlays, so no slot is drawn differently.
    const g = await createStudyFixture({ cases: 1 });
    await db().heatmap.update({ where: { id: g.heatmapIds[2] }, data: { camKey: null } });
    const gr = await g.inviteReader();
    assert.equal((await readerCase(gr.readerId, g.studyId, 1)).mapFormat, "overlay");
  });

  test("without revisiting, concurrent different submissions: exactly one is stored, the others get 409", async () => {
    const f = await createStudyFixture({ cases: 2, arms: 4, settings: { allowRevisit: false } });
    const r = await f.inviteReader();
    await readerCase(r.readerId, f.studyId, 1);
    await saveDraft(r.readerId, f.studyId, 1, { slot: "A", rationale: "a draft first" }); // the row exists: update path
    await readerCase(r.readerId, f.studyId, 2); // no row yet: insert path
    for (const n of [1, 2]) {
      const bodies = ["A", "B", "C", "D", "A", "B"].map((slot, i) => ({ slot, rationale: `answer number ${i} here` }));
      const results = await Promise.allSettled(bodies.map((b) => submitAnswer(r.readerId, f.studyId, n, b)));
      const won = results.flatMap((x, i) => (x.status === "fulfilled" ? [i] : []));
      assert.equal(won.length, 1, `case ${n}: ${won.length} submissions got 200`);
      for (const x of results) {
        if (x.status === "rejected") {
          const e = x.reason as unknown;
          const status = e instanceof DomainError ? STATUS_OF_KIND[e.kind] : 500;
          assert.equal(status, 409, String(e));
        }
      }
      const stored = (await responses(f.studyId, r.readerId)).find((row) => row.studyCaseId === f.caseIds[n - 1])!;
      assert.equal(stored.rationale, bodies[won[0]].rationale, "the stored answer is the one that got 200");
    }
  });

  test("submitting twice stores one answer, mapped to the arm behind the slot", async () => {
    const f = await createStudyFixture();
    const r = await f.inviteReader();
    await readerCase(r.readerId, f.studyId, 1);
    const body = { slot: "C", rationale: "Focus on the lesion border", confidence: 4, clientTimeMs: 1200 };
    await Promise.all([submitAnswer(r.readerId, f.studyId, 1, body), submitAnswer(r.readerId, f.studyId, 1, body)]);
    const rows = await responses(f.studyId, r.readerId);
    assert.equal(rows.length, 1);
    const order = await db().slotOrder.findFirstOrThrow({
      where: { readerId: r.readerId, studyCase: { studyId: f.studyId, caseIndex: 0 } },
    });
    const arm = await db().studyArm.findUniqueOrThrow({ where: { id: rows[0].chosenArmId! } });
    assert.equal(arm.armIndex, order.armOrder[2]);
    assert.equal(rows[0].chosenSlot, 2);
    assert.ok(rows[0].serverTimeMs! >= 0);
    assert.equal(rows[0].clientTimeMs, 1200);
    const [summary] = (await readerStudies(r.readerId)).filter((s) => s.studyId === f.studyId);
    assert.deepEqual([summary.answered, summary.total], [1, 3]);
    assert.equal(await nextOpenCase(r.readerId, f.studyId), 2);
  });

  test("a draft is restored on reload and never changes the submitted answer", async () => {
    const f = await createStudyFixture();
    const r = await f.inviteReader();
    await saveDraft(r.readerId, f.studyId, 1, { slot: "B", rationale: "half typed" });
    let view = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual([view.saved.slot, view.saved.rationale, view.saved.submitted], ["B", "half typed", false]);
    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "Final answer here" });
    await saveDraft(r.readerId, f.studyId, 1, { slot: "D", rationale: "second thoughts" });
    const [row] = await responses(f.studyId, r.readerId);
    assert.equal(row.chosenSlot, 0);
    assert.equal(row.rationale, "Final answer here");
    view = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual(
      [view.saved.slot, view.saved.rationale, view.saved.submitted, view.saved.fromDraft],
      ["D", "second thoughts", true, true],
    );
  });

  test("bad inputs get a 4xx and change nothing", async () => {
    const f = await createStudyFixture({ settings: { rationaleMax: 50, allowRevisit: false } });
    const r = await f.inviteReader();
    const outsider = await createStudyFixture();
    const stranger = await outsider.inviteReader();
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 1, { slot: "E", rationale: "valid text" }), 400); // 4 arms: no E
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "x".repeat(51) }), 400);
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "" }), 400);
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "fine", confidence: 9 }), 400);
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 99, { slot: "A", rationale: "valid text" }), 404);
    await rejectsWith(submitAnswer(stranger.readerId, f.studyId, 1, { slot: "A", rationale: "valid text" }), 404);
    await rejectsWith(saveDraft(r.readerId, f.studyId, 1, { rationale: "y".repeat(60) }), 400);
    assert.equal((await responses(f.studyId, r.readerId)).length, 0);

    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "valid text" });
    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "valid text" }); // a retry: fine
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 1, { slot: "B", rationale: "changed" }), 409); // no revisiting

    await db().study.update({ where: { id: f.studyId }, data: { status: "CLOSED" } });
    await rejectsWith(submitAnswer(r.readerId, f.studyId, 2, { slot: "A", rationale: "valid text" }), 409);
    await rejectsWith(saveDraft(r.readerId, f.studyId, 2, { rationale: "late" }), 409);
    const rows = await responses(f.studyId, r.readerId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].chosenSlot, 0);
  });

  test("a revoked reader loses the study and its images", async () => {
    const f = await createStudyFixture();
    const r = await f.inviteReader();
    const view = await readerCase(r.readerId, f.studyId, 1);
    await db().invitation.updateMany({
      where: { studyId: f.studyId, readerId: r.readerId },
      data: { status: "REVOKED" },
    });
    await rejectsWith(readerCase(r.readerId, f.studyId, 1), 404);
    assert.equal(await served(r, tokenOf(view.imageUrl)), null);
  });
});
