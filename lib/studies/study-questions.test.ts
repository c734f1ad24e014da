import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { db } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { EVERY_QUESTION_TYPE } from "../testing/question-templates";
import { answerInputSchema, draftInputSchema, readerCase, saveDraft, submitAnswer } from "./reader-survey";
import { defaultQuestions, readQuestions, studyQuestionsSchema } from "./study-questions";
import { rankingToStored, ranksToGroups } from "./question-answers";
import { DomainError, isDomainError } from "../errors/domain-error";
import { STATUS_OF_KIND } from "../http/error-status";

/** Rejects with a 4xx whose fields include `field`. */
const rejectsNaming = (p: Promise<unknown>, field: string, status = 400) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(isDomainError(e), String(e));
    assert.equal(STATUS_OF_KIND[e.kind], status);
    assert.ok(
      e.fields.some((f) => f.field === field),
      `expected field ${field}, got ${JSON.stringify(e.fields)}`,
    );
    return true;
  });

const parseAnswer = (body: unknown) => answerInputSchema.parse(body);

async function responseRows(studyId: string, readerId: string) {
  return db().response.findMany({ where: { readerId, studyCase: { studyId } }, orderBy: { createdAt: "asc" } });
}

describe("study questions (schema)", () => {
  test("the default template is the paper's two questions with confidence, built from legacy settings", () => {
    const qs = readQuestions({
      questions: [],
      question: "Which model?",
      settings: { rationaleRequired: false, rationaleMin: 3, rationaleMax: 40, confidenceEnabled: false },
    });
    assert.deepEqual(
      qs.map((q) => [q.id, q.type, q.required]),
      [
        ["q1", "best_map", true],
        ["q2", "rationale", false],
      ],
    );
    assert.equal(qs[0].wording, "Which model?");
    assert.deepEqual(
      defaultQuestions().map((q) => q.type),
      ["best_map", "rationale", "confidence"],
    );
  });

  test("refuses a second best-map question, a duplicate id and a rationale whose minimum exceeds its maximum", () => {
    const r = studyQuestionsSchema.safeParse([
      { id: "q1", type: "best_map", wording: "" },
      { id: "q1", type: "best_map", wording: "" },
      { id: "q3", type: "rationale", wording: "", min: 50, max: 10 },
    ]);
    assert.equal(r.success, false);
    const paths = r.error.issues.map((i) => i.path.join("."));
    assert.ok(paths.includes("1.id") && paths.includes("1.type") && paths.includes("2.min"), paths.join(" "));
  });

  test("blank wording gets the type's default; rating's is the clinical-relevance question", () => {
    const qs = studyQuestionsSchema.parse([{ id: "q1", type: "rating", wording: "  " }]);
    assert.equal(qs[0].wording, "How clinically relevant is the highlighted region?");
  });

  test("a rating out of range is refused by the schema, naming the field", () => {
    const r = answerInputSchema.safeParse({ ratings: { q2: { A: 6 } } });
    assert.equal(r.success, false);
    assert.equal(r.error.issues[0].path.join("."), "ratings.q2.A");
    assert.equal(draftInputSchema.safeParse({ ratings: { q2: { A: 0 } } }).success, false);
    assert.equal(answerInputSchema.safeParse({ ratings: { q2: { A: 2.5 } } }).success, false);
  });

  test("ranks with ties are competition ranks and read back as the same groups", () => {
    const ranks = rankingToStored("r", [["C"], ["A", "D"], ["B"]], 4, { allowTies: true, complete: true });
    assert.deepEqual(ranks, [2, 4, 1, 2]);
    assert.deepEqual(ranksToGroups(ranks), [["C"], ["A", "D"], ["B"]]);
  });
});

describe("study questions (real database)", () => {
  test("every question type is answered, stored per question in slot indices and shown back", async () => {
    const f = await createStudyFixture({ questions: EVERY_QUESTION_TYPE });
    const r = await f.inviteReader();
    const view = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual(
      view.questions.map((q) => q.type),
      ["best_map", "rating", "ranking", "rationale", "confidence"],
    );
    assert.equal(view.settings.rationaleRequired, false);
    await submitAnswer(
      r.readerId,
      f.studyId,
      1,
      parseAnswer({
        slot: "B",
        ratings: { q2: { A: 1, B: 5, C: 3, D: 2 } },
        rankings: { q3: [["B"], ["C", "A"], ["D"]] },
        rationale: "sharp",
        confidence: 4,
      }),
    );
    const [row] = await responseRows(f.studyId, r.readerId);
    assert.equal(row.chosenSlot, 1);
    assert.deepEqual(row.answers, { q2: [1, 5, 3, 2], q3: [2, 1, 2, 4] });
    const again = await readerCase(r.readerId, f.studyId, 1);
    assert.deepEqual(again.answer?.ratings, { q2: { A: 1, B: 5, C: 3, D: 2 } });
    assert.deepEqual(again.answer?.rankings, { q3: [["B"], ["A", "C"], ["D"]] });
  });

  test("none and cannot decide are answers of their own, with no arm", async () => {
    const f = await createStudyFixture({ questions: EVERY_QUESTION_TYPE });
    const r = await f.inviteReader();
    const rest = { ratings: { q2: { A: 1, B: 1, C: 1, D: 1 } }, rankings: { q3: [["A", "B", "C", "D"]] } };
    await submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ option: "none", ...rest }));
    await submitAnswer(r.readerId, f.studyId, 2, parseAnswer({ option: "cannot_decide", ...rest }));
    const rows = await responseRows(f.studyId, r.readerId);
    assert.deepEqual(
      rows.map((x) => [x.chosenOption, x.chosenSlot, x.chosenArmId]),
      [
        ["NONE", null, null],
        ["CANNOT_DECIDE", null, null],
      ],
    );
    assert.equal((await readerCase(r.readerId, f.studyId, 1)).answer?.option, "none");
    await rejectsNaming(
      submitAnswer(r.readerId, f.studyId, 3, parseAnswer({ slot: "A", option: "none", ...rest })),
      "option",
    );
  });

  test("the default template offers neither option", async () => {
    const f = await createStudyFixture();
    const r = await f.inviteReader();
    await rejectsNaming(
      submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ option: "none", rationale: "nothing there" })),
      "option",
    );
    await rejectsNaming(saveDraft(r.readerId, f.studyId, 1, { option: "cannot_decide" }), "option");
    await rejectsNaming(submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ rationale: "no choice made" })), "slot");
    assert.deepEqual(await responseRows(f.studyId, r.readerId), []);
  });

  test("bad rankings and ratings change nothing and name the field", async () => {
    const f = await createStudyFixture({ questions: EVERY_QUESTION_TYPE });
    const r = await f.inviteReader();
    const ok = {
      slot: "A",
      ratings: { q2: { A: 1, B: 2, C: 3, D: 4 } },
      rankings: { q3: [["A"], ["B"], ["C"], ["D"]] },
    };
    const cases: [unknown, string][] = [
      [{ ...ok, rankings: { q3: [["A"], ["B"], ["C"]] } }, "rankings.q3"],
      [{ ...ok, rankings: { q3: [["A"], ["B"], ["C"], ["A"]] } }, "rankings.q3"],
      [{ ...ok, rankings: { q3: [["A"], ["B"], ["C"], ["E"]] } }, "rankings.q3"],
      [{ ...ok, ratings: { q2: { A: 1, B: 2, C: 3 } } }, "ratings.q2.D"],
      [{ ...ok, ratings: { ...ok.ratings, q9: { A: 1 } } }, "ratings.q9"],
      [{ ...ok, rankings: { ...ok.rankings, q2: [["A"]] } }, "rankings.q2"],
      [{ ...ok, ratings: {} }, "ratings.q2"],
    ];
    for (const [body, field] of cases)
      await rejectsNaming(submitAnswer(r.readerId, f.studyId, 1, parseAnswer(body)), field);
    await rejectsNaming(saveDraft(r.readerId, f.studyId, 1, { ratings: { q7: { A: 1 } } }), "ratings.q7");
    assert.deepEqual(await responseRows(f.studyId, r.readerId), []);
  });

  test("a ranking question without ties refuses a tie", async () => {
    const f = await createStudyFixture({
      questions: [{ id: "q1", type: "ranking", wording: "Rank", required: true, allowTies: false }],
    });
    const r = await f.inviteReader();
    await rejectsNaming(
      submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ rankings: { q1: [["A", "B"], ["C"], ["D"]] } })),
      "rankings.q1",
    );
    // No best-map question: a slot is an answer to a question the study does not ask.
    await rejectsNaming(
      submitAnswer(
        r.readerId,
        f.studyId,
        1,
        parseAnswer({ slot: "A", rankings: { q1: [["A"], ["B"], ["C"], ["D"]] } }),
      ),
      "slot",
    );
    await submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ rankings: { q1: [["D"], ["C"], ["B"], ["A"]] } }));
    const [row] = await responseRows(f.studyId, r.readerId);
    assert.equal(row.chosenArmId, null);
    assert.deepEqual(row.answers, { q1: [4, 3, 2, 1] });
  });

  test("drafts keep partial ratings and rankings apart from the submitted answer", async () => {
    const f = await createStudyFixture({ questions: EVERY_QUESTION_TYPE });
    const r = await f.inviteReader();
    await saveDraft(r.readerId, f.studyId, 1, { ratings: { q2: { C: 4 } }, rankings: { q3: [["B"]] } });
    const view = await readerCase(r.readerId, f.studyId, 1);
    assert.equal(view.saved.fromDraft, true);
    assert.deepEqual(view.saved.ratings, { q2: { C: 4 } });
    assert.deepEqual(view.saved.rankings, { q3: [["B"]] });
    assert.equal(view.answer, null);
  });

  test("without revisiting, a retried identical submission succeeds and a different one is refused", async () => {
    const f = await createStudyFixture({ questions: EVERY_QUESTION_TYPE, settings: { allowRevisit: false } });
    const r = await f.inviteReader();
    const body = {
      option: "cannot_decide",
      ratings: { q2: { D: 2, A: 1, B: 2, C: 3 } },
      rankings: { q3: [["A"], ["B", "C"], ["D"]] },
    };
    await submitAnswer(r.readerId, f.studyId, 1, parseAnswer(body));
    await submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ ...body, ratings: { q2: { A: 1, B: 2, C: 3, D: 2 } } }));
    await assert.rejects(
      submitAnswer(r.readerId, f.studyId, 1, parseAnswer({ ...body, ratings: { q2: { A: 5, B: 2, C: 3, D: 2 } } })),
      (e: unknown) => e instanceof DomainError && e.kind === "conflict",
    );
    const rows = await responseRows(f.studyId, r.readerId);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].answers, { q2: [1, 2, 3, 2], q3: [1, 2, 2, 4] });
  });
});
