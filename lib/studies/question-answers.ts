// Answers to ranking and rating questions: what a reader's browser sends (slot letters), what is stored (one number
// per slot index, by question id) and the checks against the study's questions. Pure functions, no database.
// Blinding: inputs and outputs speak of slot letters or slot indices only; arms are resolved later, through the
// reader's slot order, by statistics and exports.
import { z } from "zod";
import { text } from "../validation/text";
import { DomainError, type FieldError } from "../errors/domain-error";
import { slotFromLetter, slotLetter } from "../blinding/slot-design";
import { questionIdSchema, RATING_MAX, RATING_MIN, type StudyQuestion } from "./study-questions";

export const slotLetterSchema = text().regex(/^[A-F]$/, "Slot must be a letter from A to F");

const ratingValue = z
  .number({ error: `Rating is a whole number from ${RATING_MIN} to ${RATING_MAX}` })
  .int(`Rating is a whole number from ${RATING_MIN} to ${RATING_MAX}`)
  .min(RATING_MIN, `Rating is ${RATING_MIN} to ${RATING_MAX}`)
  .max(RATING_MAX, `Rating is ${RATING_MIN} to ${RATING_MAX}`);

/** A rating answer: slot letter → 1–5. */
export const ratingInputSchema = z.record(slotLetterSchema, ratingValue);
/** A ranking answer: groups of slot letters, best first; a group of two or more is a tie. */
export const rankingInputSchema = z
  .array(z.array(slotLetterSchema).min(1, "A rank holds at least one map").max(6))
  .min(1, "A ranking lists the maps")
  .max(6, "A ranking has at most 6 ranks");

export const ratingsInputSchema = z.record(questionIdSchema, ratingInputSchema);
export const rankingsInputSchema = z.record(questionIdSchema, rankingInputSchema);

export type RatingsInput = z.infer<typeof ratingsInputSchema>;
export type RankingsInput = z.infer<typeof rankingsInputSchema>;

/**
 * Stored form, by question id: for a rating the value per slot index (null = not rated yet, drafts only); for a
 * ranking the rank per slot index (1 = best; tied maps share the best rank of their group, as in competition
 * ranking "1 2 2 4"; null = not ranked yet, drafts only).
 */
export const storedAnswersSchema = z.record(questionIdSchema, z.array(z.number().int().nullable()).max(6));
export type StoredAnswers = z.infer<typeof storedAnswersSchema>;

export function readStoredAnswers(json: unknown): StoredAnswers {
  const parsed = storedAnswersSchema.safeParse(json ?? {});
  return parsed.success ? parsed.data : {};
}

function invalid(field: string, message: string): DomainError {
  return DomainError.invalid(`${field}: ${message}.`, [{ field, message }]);
}

function questionFor(questions: readonly StudyQuestion[], field: string, id: string, type: "ranking" | "rating") {
  const q = questions.find((x) => x.id === id);
  if (!q) throw invalid(`${field}.${id}`, "this study has no such question");
  if (q.type !== type) throw invalid(`${field}.${id}`, `question ${id} is not a ${type} question`);
  return q;
}

function slotOf(field: string, letter: string, armCount: number): number {
  const slot = slotFromLetter(letter, armCount);
  if (slot === null) throw invalid(field, `this case has no Model ${letter}`);
  return slot;
}

/** Ratings by slot index; `complete` (a submission) requires every map rated. */
export function ratingToStored(
  field: string,
  rating: Record<string, number>,
  armCount: number,
  complete: boolean,
): (number | null)[] {
  const values: (number | null)[] = Array.from({ length: armCount }, () => null);
  for (const [letter, value] of Object.entries(rating)) values[slotOf(`${field}.${letter}`, letter, armCount)] = value;
  const missing = values.flatMap((v, i) => (v === null ? [slotLetter(i)] : []));
  if (complete && missing.length)
    throw invalid(`${field}.${missing[0]}`, `Model ${missing.join(", Model ")} not rated; rate every map`);
  return values;
}

/** Ranks by slot index from best-first groups; every map exactly once when `complete`, no ties unless allowed. */
export function rankingToStored(
  field: string,
  groups: string[][],
  armCount: number,
  opts: { allowTies: boolean; complete: boolean },
): (number | null)[] {
  const ranks: (number | null)[] = Array.from({ length: armCount }, () => null);
  let place = 1;
  for (const group of groups) {
    if (group.length > 1 && !opts.allowTies) throw invalid(field, "this question does not allow ties");
    for (const letter of group) {
      const slot = slotOf(field, letter, armCount);
      if (ranks[slot] !== null) throw invalid(field, `Model ${letter} is ranked twice`);
      ranks[slot] = place;
    }
    place += group.length;
  }
  const missing = ranks.flatMap((r, i) => (r === null ? [slotLetter(i)] : []));
  if (opts.complete && missing.length)
    throw invalid(field, `Model ${missing.join(", Model ")} missing from the ranking`);
  return ranks;
}

/** The reader-facing form of stored answers, by question id. */
export function storedToRatings(
  stored: StoredAnswers,
  questions: readonly StudyQuestion[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const q of questions) {
    const values = stored[q.id];
    if (q.type !== "rating" || !values) continue;
    out[q.id] = Object.fromEntries(values.flatMap((v, i) => (v === null ? [] : [[slotLetter(i), v]])));
  }
  return out;
}

export function storedToRankings(
  stored: StoredAnswers,
  questions: readonly StudyQuestion[],
): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const q of questions) {
    const ranks = stored[q.id];
    if (q.type !== "ranking" || !ranks) continue;
    out[q.id] = ranksToGroups(ranks);
  }
  return out;
}

/** Best-first groups of slot letters from ranks by slot (unranked slots left out). */
export function ranksToGroups(ranks: readonly (number | null)[]): string[][] {
  const byRank = new Map<number, string[]>();
  ranks.forEach((r, i) => {
    if (r === null) return;
    byRank.set(r, [...(byRank.get(r) ?? []), slotLetter(i)]);
  });
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, letters]) => letters);
}

/**
 * The ranking and rating part of a reader's input, checked against the study's questions and stored by question id
 * in question order. A submission (`complete`) needs every required question answered and every answered one whole.
 */
export function answersToStored(
  questions: readonly StudyQuestion[],
  input: { ratings?: RatingsInput; rankings?: RankingsInput },
  armCount: number,
  complete: boolean,
): StoredAnswers {
  const ratings = input.ratings ?? {};
  const rankings = input.rankings ?? {};
  for (const id of Object.keys(ratings)) questionFor(questions, "ratings", id, "rating");
  for (const id of Object.keys(rankings)) questionFor(questions, "rankings", id, "ranking");
  const out: StoredAnswers = {};
  const errors: FieldError[] = [];
  for (const q of questions) {
    if (q.type === "rating") {
      const given = ratings[q.id];
      if (given) out[q.id] = ratingToStored(`ratings.${q.id}`, given, armCount, complete);
      else if (complete && q.required) errors.push({ field: `ratings.${q.id}`, message: "rate every map" });
    } else if (q.type === "ranking") {
      const given = rankings[q.id];
      if (given) out[q.id] = rankingToStored(`rankings.${q.id}`, given, armCount, { allowTies: q.allowTies, complete });
      else if (complete && q.required) errors.push({ field: `rankings.${q.id}`, message: "rank the maps" });
    }
  }
  if (errors.length) throw DomainError.invalid(errors.map((e) => `${e.field}: ${e.message}`).join("; ") + ".", errors);
  return out;
}

/** Same answers, compared by content: a retried submission is the same answer, whatever the key order. */
export function sameStoredAnswers(a: StoredAnswers, b: StoredAnswers): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (!x || !y || x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}
