// How often readers chose the arm whose heat-map localised the lesion best by an objective metric (pointing
// game, energy inside the mask, IoU). Ties in the metric may give a case several best arms.
import { type Answer, givenAnswers } from "./answers";
import { wilsonInterval } from "./wilson";

export interface LocalisationAgreement {
  /** Given answers on cases whose best arm is known. */
  n_answers: number;
  n_matches: number;
  share: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** Expected share if readers picked uniformly among `numberOfChoices` arms: mean of |best arms| / k. */
  chance_share: number | null;
}

export function localisationAgreement(
  answers: readonly Answer[],
  bestChoicesByCase: ReadonlyMap<string, readonly string[]>,
  numberOfChoices: number,
): LocalisationAgreement {
  if (!Number.isInteger(numberOfChoices) || numberOfChoices < 1) {
    throw new RangeError(`numberOfChoices must be a positive integer, got ${numberOfChoices}`);
  }
  let considered = 0;
  let matches = 0;
  let chance = 0;
  for (const a of givenAnswers(answers)) {
    const best = bestChoicesByCase.get(a.caseId);
    if (best === undefined || best.length === 0) continue;
    considered++;
    if (best.includes(a.choice)) matches++;
    chance += Math.min(1, best.length / numberOfChoices);
  }
  const ci = wilsonInterval(matches, considered);
  return {
    n_answers: considered,
    n_matches: matches,
    share: considered === 0 ? null : matches / considered,
    ci_low: ci ? ci.low : null,
    ci_high: ci ? ci.high : null,
    chance_share: considered === 0 ? null : chance / considered,
  };
}
