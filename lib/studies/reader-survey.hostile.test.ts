// Hostile input against the reader API's schemas and domain calls (fast-check): random and oversized
// bodies, wrong types, unknown ids and other readers' studies are refused with a 4xx, and nothing is
// written (row counts checked after every run).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { db, disconnectDb } from "../db/client";
import { handle, parseJson } from "../http/handler";
import { parseInput } from "../errors/field-errors";
import { createStudyFixture, type StudyFixture } from "../testing/study-fixture";
import { answerInputSchema, draftInputSchema, saveDraft, submitAnswer } from "./reader-survey";

const RUNS = { numRuns: 60, seed: 20211011 };

/** The status the route would answer, via the same `handle` wrapper the route handlers use. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  const res = await handle(async () => {
    await call();
    return new Response(null, { status: 200 });
  });
  return res.status;
}

const writeCounts = async () => ({
  responses: await db().response.count(),
  slotOrders: await db().slotOrder.count(),
  tokens: await db().blindToken.count(),
});

const hostileValue = fc.oneof(
  fc.anything(),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}, "A".repeat(6000), -1, 1e308, "__proto__"),
);
const hostileBody = fc.oneof(
  fc.anything(),
  fc.record(
    { slot: hostileValue, rationale: hostileValue, confidence: hostileValue, clientTimeMs: hostileValue },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 12 }), hostileValue),
);

describe("reader API under hostile input", () => {
  let study: StudyFixture;
  let other: StudyFixture;
  let readerId: string;
  let outsiderId: string;
  before(async () => {
    study = await createStudyFixture({ cases: 2, arms: 3 });
    other = await createStudyFixture({ cases: 1, arms: 2 });
    readerId = (await study.inviteReader()).readerId;
    outsiderId = (await other.inviteReader()).readerId;
  });
  after(() => disconnectDb());

  test("the schemas never throw anything but a ZodError, and what they accept is in range", () => {
    fc.assert(
      fc.property(hostileBody, (body) => {
        for (const schema of [draftInputSchema, answerInputSchema]) {
          const r = schema.safeParse(body);
          if (!r.success) continue;
          const d = r.data;
          if (d.slot != null) assert.match(d.slot, /^[A-F]$/);
          if (d.rationale !== undefined) assert.ok(d.rationale.length <= 5000);
          if (d.confidence != null) assert.ok(Number.isInteger(d.confidence) && d.confidence >= 1 && d.confidence <= 5);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  test("random draft and answer bodies: 2xx only for valid ones; a refusal writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, fc.constantFrom("draft", "answer"), async (body, kind) => {
        const valid = (kind === "draft" ? draftInputSchema : answerInputSchema).safeParse(body).success;
        const before = await writeCounts();
        // As the routes do: the body is parsed once at the edge, then the domain checks the study's rules.
        const status = await statusOf(() =>
          kind === "draft"
            ? saveDraft(readerId, study.studyId, 1, parseInput(draftInputSchema, body))
            : submitAnswer(readerId, study.studyId, 1, parseInput(answerInputSchema, body)),
        );
        if (!valid) {
          assert.ok(status >= 400 && status < 500, `status ${status} for ${JSON.stringify(body)}`);
          assert.deepEqual(await writeCounts(), before);
        } else {
          assert.ok(status === 200 || (status >= 400 && status < 500), `status ${status}`);
        }
      }),
      RUNS,
    );
  });

  test("unknown studies, case numbers and other readers' studies: 404 and nothing written", async () => {
    const goodDraft = { slot: "A", rationale: "a plausible rationale" };
    const goodAnswer = { slot: "A", rationale: "a plausible rationale" };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 50 }), fc.constant(other.studyId), fc.constant(study.studyId)),
        fc.oneof(fc.integer({ min: -5, max: 10 }), fc.double(), fc.constant(Number.NaN)),
        fc.constantFrom("reader", "outsider"),
        async (studyId, caseNumber, who) => {
          const uid = who === "reader" ? readerId : outsiderId;
          const legit =
            (who === "reader" && studyId === study.studyId) || (who === "outsider" && studyId === other.studyId);
          const inRange =
            Number.isInteger(caseNumber) && caseNumber >= 1 && caseNumber <= (studyId === study.studyId ? 2 : 1);
          if (legit && inRange) return;
          const before = await writeCounts();
          assert.equal(await statusOf(() => saveDraft(uid, studyId, caseNumber, goodDraft)), 404);
          assert.equal(await statusOf(() => submitAnswer(uid, studyId, caseNumber, goodAnswer)), 404);
          assert.deepEqual(await writeCounts(), before);
        },
      ),
      RUNS,
    );
  });

  test("parseJson: non-JSON content types 415, oversized 413, bad JSON 400, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "",
          "application/jsonp",
          "text/json",
        ),
        fc.string({ maxLength: 200 }),
        async (type, text) => {
          const req = new Request("http://x/", {
            method: "POST",
            body: text,
            headers: type ? { "content-type": type } : {},
          });
          assert.equal(await statusOf(() => parseJson(req, draftInputSchema, "surveyDraft")), 415);
        },
      ),
      RUNS,
    );
    const big = JSON.stringify({ rationale: "x".repeat(20_000) });
    assert.equal(
      await statusOf(() =>
        parseJson(
          new Request("http://x/", { method: "POST", body: big, headers: { "content-type": "application/json" } }),
          draftInputSchema,
          "surveyDraft",
        ),
      ),
      413,
    );
    // Multi-byte characters count as bytes, not characters.
    const wide = JSON.stringify({ rationale: "é".repeat(9000) });
    assert.equal(
      await statusOf(() =>
        parseJson(
          new Request("http://x/", {
            method: "POST",
            body: wide,
            headers: { "content-type": "application/json; charset=utf-8" },
          }),
          draftInputSchema,
          "surveyDraft",
        ),
      ),
      413,
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        const status = await statusOf(() =>
          parseJson(
            new Request("http://x/", { method: "POST", body: text, headers: { "content-type": "application/json" } }),
            answerInputSchema,
            "surveyAnswer",
          ),
        );
        assert.ok(status === 200 || status === 400, `status ${status} for ${JSON.stringify(text)}`);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  test("a ZodError escaping a handler is a 400 naming the field, not a 500", async () => {
    const res = await handle(() => {
      answerInputSchema.parse({ slot: 7 });
      return Promise.resolve(new Response(null));
    });
    assert.equal(res.status, 400);
    assert.match(String(((await res.json()) as { error: string }).error), /slot/);
  });
});
