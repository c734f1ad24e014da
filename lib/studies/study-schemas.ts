// The schemas of a study draft and its case selection, and the edge's one parse of a draft or of settings.
import { z } from "zod";
import { text as textSchema } from "../validation/text";
import { parseInput } from "../errors/field-errors";
import { MAX_ARMS, MIN_ARMS } from "../blinding/slot-design";
import { DEFAULT_QUESTION, studySettingsSchema, type StudySettings } from "./study-settings";
import { studyQuestionsSchema, type StudyQuestions } from "./study-questions";

import { MAX_CASES } from "./study-limits";

const idSchema = textSchema().trim().min(1).max(64);

export const caseSelectionSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({
      mode: z.literal("sample"),
      size: z.coerce
        .number({ error: "Sample size must be a number" })
        .int("Sample size must be a whole number")
        .min(1, "Sample size must be at least 1")
        .max(MAX_CASES, `Sample size must be at most ${MAX_CASES}`),
      seed: z.coerce
        .number({ error: "Seed must be a number" })
        .int("Seed must be a whole number")
        .min(0, "Seed must be 0 or more")
        .max(2 ** 31 - 1, "Seed is too large"),
    }),
    z.object({
      mode: z.literal("pick"),
      imageIds: z
        .array(idSchema)
        .min(1, "Pick at least one case")
        .max(MAX_CASES, `Pick at most ${MAX_CASES} cases`)
        .refine((ids) => new Set(ids).size === ids.length, "A case is picked twice"),
    }),
  ],
  { error: "Choose how cases are selected: sample or pick" },
);

export const studyDraftSchema = z.object({
  title: textSchema().trim().min(1, "Title is required").max(200, "Title must be at most 200 characters"),
  instructions: textSchema().trim().max(5000, "Instructions must be at most 5000 characters").default(""),
  question: textSchema()
    .trim()
    .max(500, "Question must be at most 500 characters")
    .default(DEFAULT_QUESTION)
    .transform((q) => (q === "" ? DEFAULT_QUESTION : q)),
  datasetId: textSchema().trim().min(1, "Choose a dataset").max(64),
  modelRunIds: z
    .array(idSchema)
    .min(MIN_ARMS, `Choose at least ${MIN_ARMS} model runs as arms`)
    .max(MAX_ARMS, `Choose at most ${MAX_ARMS} model runs as arms`)
    .refine((ids) => new Set(ids).size === ids.length, "A model run is chosen twice"),
  cases: caseSelectionSchema,
  settings: studySettingsSchema,
  // Absent: the default template (best map with `question` as its wording, rationale and confidence by settings).
  questions: studyQuestionsSchema.optional(),
});

/** A draft as the domain takes it: parsed once at the edge (parseStudyDraft), defaults filled. */
export type StudyDraftInput = z.output<typeof studyDraftSchema>;

export function parseStudyDraft(raw: unknown): StudyDraftInput {
  return parseInput(studyDraftSchema, raw, "Fix the highlighted fields; nothing was saved.");
}

export function parseStudySettings(raw: unknown): StudySettings {
  return parseInput(studySettingsSchema, raw, "Fix the highlighted settings; nothing was saved.");
}

export function parseStudyQuestions(raw: unknown): StudyQuestions {
  return parseInput(
    z.object({ questions: studyQuestionsSchema }),
    { questions: raw },
    "Fix the highlighted questions; nothing was saved.",
  ).questions;
}
