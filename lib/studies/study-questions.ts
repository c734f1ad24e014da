// The questions a study asks on every case, in order: one zod schema for the coordinator's form, the database JSON
// column, the reader's page and the exports. A study stored before questions existed has none and reads back as the
// default template (the paper's two questions, best map and rationale, with confidence as before), built from its
// settings.
import { z } from "zod";
import { text } from "../validation/text";
import { DEFAULT_QUESTION, readLegacyQuestionSettings, type LegacyQuestionSettings } from "./study-settings";

export const QUESTION_TYPES = ["best_map", "ranking", "rating", "rationale", "confidence"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const DEFAULT_RATING_WORDING = "How clinically relevant is the highlighted region?";
export const DEFAULT_RANKING_WORDING = "Rank the maps from most to least clinically relevant focus.";
export const DEFAULT_RATIONALE_WORDING = "Rationale";
export const DEFAULT_CONFIDENCE_WORDING = "Confidence";
/** The rating scale is fixed, so that every study's ratings can be pooled and compared. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const MAX_QUESTIONS = 8;

export const DEFAULT_WORDING: Record<QuestionType, string> = {
  best_map: DEFAULT_QUESTION,
  ranking: DEFAULT_RANKING_WORDING,
  rating: DEFAULT_RATING_WORDING,
  rationale: DEFAULT_RATIONALE_WORDING,
  confidence: DEFAULT_CONFIDENCE_WORDING,
};

/** Question ids are positional ("q1", "q2", …) and fixed once the study is published (questions change only in drafts). */
export const questionIdSchema = text().regex(/^q[1-9][0-9]?$/, "Question id must look like q1");

const wording = text().trim().max(500, "Wording must be at most 500 characters").default("");

const common = {
  id: questionIdSchema,
  wording,
  required: z.boolean().default(true),
};

export const questionSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      ...common,
      type: z.literal("best_map"),
      allowNone: z.boolean().default(false),
      allowCannotDecide: z.boolean().default(false),
    }),
    z.object({ ...common, type: z.literal("ranking"), allowTies: z.boolean().default(false) }),
    z.object({ ...common, type: z.literal("rating") }),
    z.object({
      ...common,
      type: z.literal("rationale"),
      min: z.number({ error: "Minimum length must be a number" }).int().min(0).max(2000).default(10),
      max: z.number({ error: "Maximum length must be a number" }).int().min(1).max(5000).default(1000),
    }),
    z.object({ ...common, type: z.literal("confidence"), required: z.boolean().default(false) }),
  ],
  { error: "Question type must be best_map, ranking, rating, rationale or confidence" },
);

export type StudyQuestion = z.output<typeof questionSchema>;
export type QuestionOf<T extends QuestionType> = Extract<StudyQuestion, { type: T }>;

/** Types of which a study asks at most one: their answers live in the response's own columns. */
const SINGLE_TYPES: readonly QuestionType[] = ["best_map", "rationale", "confidence"];

export const studyQuestionsSchema = z
  .array(questionSchema)
  .min(1, "A study asks at least one question")
  .max(MAX_QUESTIONS, `A study asks at most ${MAX_QUESTIONS} questions`)
  .transform((qs) => qs.map((q) => ({ ...q, wording: q.wording === "" ? DEFAULT_WORDING[q.type] : q.wording })))
  .superRefine((qs, ctx) => {
    const ids = new Set<string>();
    qs.forEach((q, i) => {
      if (ids.has(q.id))
        ctx.addIssue({ code: "custom", path: [i, "id"], message: `Question id ${q.id} is used twice` });
      ids.add(q.id);
      if (SINGLE_TYPES.includes(q.type) && qs.findIndex((o) => o.type === q.type) !== i)
        ctx.addIssue({
          code: "custom",
          path: [i, "type"],
          message: `A study asks at most one ${typeLabel(q.type)} question`,
        });
      if (q.type === "rationale" && q.min > q.max)
        ctx.addIssue({ code: "custom", path: [i, "min"], message: "Minimum length must not exceed the maximum" });
    });
  });

export type StudyQuestions = z.output<typeof studyQuestionsSchema>;

export function typeLabel(type: QuestionType): string {
  return {
    best_map: "best map",
    ranking: "ranking",
    rating: "rating",
    rationale: "free-text rationale",
    confidence: "confidence",
  }[type];
}

/** The paper's questions (best map, rationale) and confidence as a study stored before questions asked them. */
export function defaultQuestions(
  question: string = DEFAULT_QUESTION,
  settings: LegacyQuestionSettings = readLegacyQuestionSettings({}),
): StudyQuestion[] {
  const s = settings;
  const qs: StudyQuestion[] = [
    {
      id: "q1",
      type: "best_map",
      wording: question.trim() || DEFAULT_QUESTION,
      required: true,
      allowNone: false,
      allowCannotDecide: false,
    },
    {
      id: "q2",
      type: "rationale",
      wording: DEFAULT_RATIONALE_WORDING,
      required: s.rationaleRequired,
      min: s.rationaleMin,
      max: s.rationaleMax,
    },
  ];
  if (s.confidenceEnabled)
    qs.push({ id: "q3", type: "confidence", wording: DEFAULT_CONFIDENCE_WORDING, required: false });
  return qs;
}

/** A study's questions as stored; an empty list (a study from before questions) is its default template. */
export function readQuestions(study: { questions: unknown; question: string; settings: unknown }): StudyQuestion[] {
  const stored = Array.isArray(study.questions) ? study.questions : [];
  if (stored.length === 0) return defaultQuestions(study.question, readLegacyQuestionSettings(study.settings));
  return studyQuestionsSchema.parse(stored);
}

/** Positional ids, so that the form need not invent them: the n-th question is "qn". */
export function numberQuestions<T extends { id?: string }>(qs: readonly T[]): (T & { id: string })[] {
  return qs.map((q, i) => ({ ...q, id: `q${i + 1}` }));
}

export function questionOfType<T extends QuestionType>(qs: readonly StudyQuestion[], type: T): QuestionOf<T> | null {
  return (qs.find((q) => q.type === type) as QuestionOf<T> | undefined) ?? null;
}

/** The questions as a sentence for the report's methods paragraph (plain text; the caller escapes it). */
export function describeQuestions(qs: readonly StudyQuestion[]): string {
  const parts = qs.map((q) => {
    const need = q.required ? "required" : "optional";
    switch (q.type) {
      case "best_map": {
        const others = [q.allowNone ? "“none of the maps”" : "", q.allowCannotDecide ? "“cannot decide”" : ""].filter(
          Boolean,
        );
        return `“${q.wording}” (the best map${others.length ? `, or ${others.join(" or ")}` : ""}; ${need})`;
      }
      case "ranking":
        return `“${q.wording}” (a ranking of every map${q.allowTies ? ", ties allowed" : ", no ties"}; ${need})`;
      case "rating":
        return `“${q.wording}” (each map rated ${RATING_MIN}–${RATING_MAX}; ${need})`;
      case "rationale":
        return `a free-text rationale (${q.required ? `${Math.max(1, q.min)}–${q.max} characters` : `optional, up to ${q.max} characters`})`;
      case "confidence":
        return `their confidence from 1 to 5 (${need})`;
    }
  });
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join("; ")}; and ${parts.at(-1)}`;
}
