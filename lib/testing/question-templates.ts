// Question lists for tests: one of every type, with the best map's two other answers and a ranking with ties.
import type { StudyQuestion } from "../studies/study-questions";

export const EVERY_QUESTION_TYPE: StudyQuestion[] = [
  {
    id: "q1",
    type: "best_map",
    wording: "Which map focuses on the most relevant region?",
    required: true,
    allowNone: true,
    allowCannotDecide: true,
  },
  { id: "q2", type: "rating", wording: "How clinically relevant is the highlighted region?", required: true },
  { id: "q3", type: "ranking", wording: "Rank the maps, best first.", required: true, allowTies: true },
  { id: "q4", type: "rationale", wording: "Why?", required: false, min: 0, max: 500 },
  { id: "q5", type: "confidence", wording: "Confidence", required: false },
];
