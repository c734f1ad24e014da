// The input model shared by every statistic: one row per (case, reader) with the reader's choice.

export interface Answer {
  caseId: string;
  readerId: string;
  /** The chosen option (an arm, a slot, a label); null or blank means the reader gave no answer. */
  choice: string | null;
}

/** An answer whose choice is present. */
export interface GivenAnswer {
  caseId: string;
  readerId: string;
  choice: string;
}

/** Raised for input that no statistic can be computed from (blank ids, a reader answering a case twice). */
export class AnswerDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerDataError";
  }
}

export function isMissingChoice(choice: string | null | undefined): boolean {
  return choice == null || choice.trim() === "";
}

/** Sorts by UTF-16 code units so results never depend on the machine's locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodeUnits);
}

/**
 * Checks ids and uniqueness. A reader answering the same case twice is refused rather than resolved
 * (first? last?), because any silent rule would make results depend on row order.
 */
export function validateAnswers(answers: readonly Answer[]): void {
  const seen = new Set<string>();
  answers.forEach((a, index) => {
    if (typeof a.caseId !== "string" || a.caseId.trim() === "") {
      throw new AnswerDataError(`answer ${index + 1}: case id is empty`);
    }
    if (typeof a.readerId !== "string" || a.readerId.trim() === "") {
      throw new AnswerDataError(`answer ${index + 1}: reader id is empty`);
    }
    if (a.choice != null && typeof a.choice !== "string") {
      throw new AnswerDataError(`answer ${index + 1}: choice must be a string or null`);
    }
    const key = JSON.stringify([a.caseId, a.readerId]);
    if (seen.has(key)) {
      throw new AnswerDataError(`reader "${a.readerId}" answered case "${a.caseId}" more than once`);
    }
    seen.add(key);
  });
}

/** The answers with a choice, after validation. */
export function givenAnswers(answers: readonly Answer[]): GivenAnswer[] {
  validateAnswers(answers);
  const out: GivenAnswer[] = [];
  for (const a of answers) {
    if (!isMissingChoice(a.choice)) out.push({ caseId: a.caseId, readerId: a.readerId, choice: a.choice as string });
  }
  return out;
}

/**
 * The categories a statistic runs over. With `declared` (e.g. every arm of a study) an option nobody chose
 * still counts, which matters for the chi-square test and Gwet's AC1; without it, the choices seen, sorted.
 */
export function resolveChoices(answers: readonly GivenAnswer[], declared?: readonly string[]): string[] {
  if (declared === undefined) return distinctSorted(answers.map((a) => a.choice));
  const unique = [...new Set(declared)];
  if (unique.length !== declared.length) throw new AnswerDataError("the declared choices contain duplicates");
  const known = new Set(unique);
  for (const a of answers) {
    if (!known.has(a.choice)) {
      throw new AnswerDataError(
        `choice "${a.choice}" (case "${a.caseId}", reader "${a.readerId}") is not among the declared choices`,
      );
    }
  }
  return unique;
}
