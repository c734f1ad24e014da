// PostgreSQL cannot store NUL in text (22021) or jsonb (22P05): every text field of every boundary schema must
// refuse it as a validation error (a 400 or a field error), never let it reach the database (a 500 that
// clients retried). Each case is a valid input with NUL put into one of its text fields.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ZodType } from "zod";
import { NUL_MESSAGE, text } from "./text";
import { importFolderInputSchema, syntheticInputSchema } from "@/lib/datasets/dataset-inputs";
import { zipImportInputSchema } from "@/lib/datasets/zip-upload";
import { zipUploadQuerySchema } from "@/lib/datasets/dataset-forms";
import { runIdSchema } from "@/lib/jobs/job-forms";
import { staffUserInputSchema } from "@/lib/users/user-input";
import { staffCredentialsSchema } from "@/lib/auth/credentials";
import { studyDraftSchema } from "@/lib/studies/study-schemas";
import { answerInputSchema, draftInputSchema } from "@/lib/studies/reader-survey";
import { enqueueTrainingSchema } from "@/lib/jobs/job-inputs";

const NUL = "\u0000";

type Case = [name: string, schema: ZodType, valid: Record<string, unknown>, fields: string[]];

const cases: Case[] = [
  [
    "folder import",
    importFolderInputSchema,
    { folder: "/data/x", name: "set", positive: "yes", description: "d", createdById: "u1" },
    ["folder", "name", "positive", "description", "createdById"],
  ],
  [
    "zip import",
    zipImportInputSchema,
    { name: "set", positive: "yes", fileName: "a.zip" },
    ["fileName", "name", "positive"],
  ],
  [
    "zip upload query",
    zipUploadQuerySchema,
    { name: "set", positive: "yes", size: "32", fileName: "a.zip" },
    ["name", "positive", "size", "fileName"],
  ],
  ["synthetic", syntheticInputSchema, { name: "set", count: 8 }, ["name"]],
  [
    "staff user",
    staffUserInputSchema,
    { email: "a@b.org", name: "Ann", role: "RESEARCHER", password: "a-long-password-1" },
    ["email", "name", "password"],
  ],
  ["staff sign-in", staffCredentialsSchema, { email: "a@b.org", password: "pw" }, ["email", "password"]],
  [
    "study draft",
    studyDraftSchema,
    {
      title: "T",
      instructions: "I",
      question: "Q?",
      datasetId: "d1",
      modelRunIds: ["r1", "r2"],
      cases: { mode: "pick", imageIds: ["i1"] },
      settings: {},
    },
    ["title", "instructions", "question", "datasetId"],
  ],
  ["draft", draftInputSchema, { slot: "A", rationale: "because" }, ["rationale"]],
  ["answer", answerInputSchema, { slot: "A", rationale: "because", confidence: 3 }, ["rationale"]],
  [
    "training",
    enqueueTrainingSchema,
    { datasetId: "d1", variants: ["baseline"], seeds: 1, createdById: "u1" },
    ["datasetId", "createdById"],
  ],
];

describe("text()", () => {
  test("refuses NUL anywhere and keeps ZodString's methods", () => {
    const s = text().trim().min(1).max(10);
    assert.equal(s.parse(" ok "), "ok");
    for (const v of [NUL, `a${NUL}`, `${NUL}a`, `a${NUL}b`]) {
      const r = s.safeParse(v);
      assert.equal(r.success, false);
      assert.equal(r.error?.issues[0].message, NUL_MESSAGE);
    }
    assert.equal(text().email().safeParse(`a${NUL}@b.org`).error?.issues[0].message, NUL_MESSAGE);
  });
});

describe("every boundary text field refuses NUL", () => {
  for (const [name, schema, valid, fields] of cases) {
    test(name, () => {
      const ok = schema.safeParse(valid);
      assert.ok(ok.success, `the valid ${name} input parses: ${JSON.stringify(ok.error?.issues)}`);
      for (const field of fields) {
        const r = schema.safeParse({ ...valid, [field]: `x${NUL}y` });
        assert.equal(r.success, false, `${name}.${field} accepted a NUL`);
        assert.ok(
          r.error.issues.some((i) => i.path[0] === field),
          `${name}.${field}: ${JSON.stringify(r.error.issues)}`,
        );
      }
    });
  }
  test("ids in lists", () => {
    assert.equal(runIdSchema.safeParse(`r${NUL}`).success, false);
    const draft = cases.find((c) => c[0] === "study draft")![2];
    assert.equal(studyDraftSchema.safeParse({ ...draft, modelRunIds: ["r1", `r${NUL}`] }).success, false);
    assert.equal(
      studyDraftSchema.safeParse({ ...draft, cases: { mode: "pick", imageIds: [`i${NUL}`] } }).success,
      false,
    );
  });
});
