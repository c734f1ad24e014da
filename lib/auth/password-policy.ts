// What a new staff password must be: at least 12 characters, at most 200, and not easy to guess.
// "Easy to guess" is zxcvbn's estimate (@zxcvbn-ts, a maintained TypeScript port, with its common-password,
// English word and name lists and keyboard patterns): a score under 3 means fewer than about 10^8 guesses,
// which covers the most common passwords and their usual variations. The account's email and name count
// as dictionary words, so "jane.doe-2026" is refused for Jane Doe.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/** Why the password is refused, in a sentence for the form; null when it is acceptable. */
export function passwordProblem(password: string, personal: string[] = []): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const userInputs = personal
    .flatMap((p) => [p, p.split("@")[0], ...p.split(/[^\p{L}\p{N}]+/u)])
    .map((w) => w.toLowerCase())
    .filter((w) => w.length >= 3);
  const result = zxcvbn().check(password, userInputs);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, "").toLowerCase()})` : "";
  return `This password is too easy to guess${why}. Use a longer phrase of unrelated words`;
}
