// What the coordinator's results page shows. The statistics are computed from the export rows
// (case_id, reader_id = pseudonym, choice = arm name) with lib/stats `summarize`, the same call the
// `focus stats --input export.csv` CLI makes, so the page and an offline re-analysis agree to the last digit.
import { db } from "../db/client";
import { summarize, summarizeByGroup, type GroupSummary, type StatsSummary } from "../stats/summary";
import { wilsonInterval } from "../stats/wilson";
import type { Answer } from "../stats/answers";
import { studyAnswerRows, studyArms, type AnswerExportRow, type StudyArmInfo } from "../export/answers-export";
import { questionOfType, readQuestions } from "./study-questions";
import { questionResults, type QuestionResult } from "./question-results";
import {
  intraReaderAgreementOfAnswers,
  intraReaderByGroup,
  type GroupSelfAgreement,
  type IntraReaderAgreement,
} from "../stats/intra-reader-agreement";
import { readSettings } from "./study-settings";

export interface ArmBar {
  label: string;
  count: number;
  share: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface CaseRow {
  caseId: string;
  caseNumber: number;
  imageId: string;
  imageLabel: string;
  /** Each reader's choice of a map on this case, by pseudonym. */
  choices: { readerId: string; choice: string; slot: string }[];
  /** Readers who answered "none" or "cannot decide" on this case. */
  options: { readerId: string; option: "none" | "cannot_decide" }[];
  majority: string | null;
  tied: string[];
  agreementShare: number | null;
  /** Arms with the highest energy inside the lesion mask on this case; empty without localisation metrics. */
  bestLocalised: string[];
}

export interface LocalisationAgreement {
  /** Answers on cases where every arm has an energy-in-mask value. */
  answersConsidered: number;
  /** Of those, answers choosing an arm with the best energy in mask (ties count for every tied arm). */
  bestChosen: number;
  share: number | null;
  /** What random choosing would give: mean over the considered answers of (tied best arms / arms). */
  chanceShare: number | null;
  /** Per arm: on how many cases it localised best. */
  bestCasesByArm: Record<string, number>;
}

export interface StudyResults {
  arms: StudyArmInfo[];
  rows: AnswerExportRow[];
  summary: StatsSummary;
  bySpecialty: GroupSummary[];
  /** One bar per arm, arms never chosen included (count 0). */
  bars: ArmBar[];
  /** Arms no reader has chosen yet: they are outside the CLI's default choice set (pass --choices to include them). */
  unchosenArms: string[];
  cases: CaseRow[];
  localisation: LocalisationAgreement | null;
  /** Readers whose answers are left out of every statistic, with why and how many answers they gave. */
  leftOut: { readerId: string; status: LeftOutStatus; answers: number }[];
  /** Confidence and time on case of the answers choosing each arm. */
  perArm: ArmEffort[];
  /**
   * Answers of the best-map question that name no map, counted apart: they are missing choices for every statistic
   * over arms (as in `focus stats`). `offered` says which of the two the study's question offers.
   */
  options: { none: number; cannotDecide: number; offered: { none: boolean; cannotDecide: boolean } };
  /** Statistics of each rating and ranking question, in the study's order. */
  questions: QuestionResult[];
  /**
   * Cohen's kappa of each reader's repeated best-map answers with their first ones, and the mean; null when the
   * study repeats no case ("needs repeated cases"). Counted readers only, as every statistic.
   */
  intraReader: IntraReaderAgreement | null;
  /** The mean intra-reader kappa per specialty (null without repeated cases). */
  intraReaderBySpecialty: GroupSelfAgreement[] | null;
  /** The study's repeatedCases setting. */
  repeatedCases: number;
}

export interface ArmEffort {
  label: string;
  answers: number;
  /** Answers that gave a confidence, and their mean and standard deviation (1–5). */
  confidenceN: number;
  confidenceMean: number | null;
  confidenceSd: number | null;
  /** Median server-side time on case, ms. */
  timeMedianMs: number | null;
}

export type LeftOutStatus = "revoked" | "excluded";

function rowsOfReaders(rows: readonly AnswerExportRow[], readers: ReadonlyMap<string, LeftOutStatus>) {
  const counts = new Map<string, number>();
  for (const r of rows) if (readers.has(r.reader_id)) counts.set(r.reader_id, (counts.get(r.reader_id) ?? 0) + 1);
  return [...readers.keys()]
    .sort()
    .map((readerId) => ({ readerId, status: readers.get(readerId)!, answers: counts.get(readerId) ?? 0 }));
}

function middle(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const h = Math.floor(v.length / 2);
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** Confidence (mean, sample sd) and median time on case per chosen arm; arms never chosen get zeros and nulls. */
export function armEffort(
  labels: readonly string[],
  rows: readonly Pick<AnswerExportRow, "choice" | "confidence" | "time_server_ms">[],
): ArmEffort[] {
  return labels.map((label) => {
    const mine = rows.filter((r) => r.choice === label);
    const conf = mine.map((r) => r.confidence).filter((c): c is number => c !== null);
    const mean = conf.length === 0 ? null : conf.reduce((a, b) => a + b, 0) / conf.length;
    const sd =
      mean === null || conf.length < 2
        ? null
        : Math.sqrt(conf.reduce((a, c) => a + (c - mean) ** 2, 0) / (conf.length - 1));
    const times = mine.map((r) => r.time_server_ms).filter((t): t is number => t !== null);
    return {
      label,
      answers: mine.length,
      confidenceN: conf.length,
      confidenceMean: mean,
      confidenceSd: sd,
      timeMedianMs: middle(times),
    };
  });
}

export function answersOf(rows: readonly AnswerExportRow[]): Answer[] {
  return rows.map((r) => ({ caseId: r.case_id, readerId: r.reader_id, choice: r.choice }));
}

/** Bars for all arms, in arm order, with Wilson 95 % intervals over all answers. */
export function armBars(labels: readonly string[], summary: StatsSummary): ArmBar[] {
  return labels.map((label) => {
    const count = summary.counts[label] ?? 0;
    const ci = wilsonInterval(count, summary.n_answers);
    return {
      label,
      count,
      share: summary.n_answers === 0 ? null : count / summary.n_answers,
      ciLow: ci?.low ?? null,
      ciHigh: ci?.high ?? null,
    };
  });
}

/**
 * How often readers chose an arm with the best objective localisation (energy in mask). `energy` maps
 * case id -> arm label -> energy; a case missing any arm's value is left out.
 */
export function localisationAgreement(
  rows: readonly Pick<AnswerExportRow, "case_id" | "choice">[],
  energy: ReadonlyMap<string, ReadonlyMap<string, number>>,
  labels: readonly string[],
): LocalisationAgreement | null {
  const bestByCase = new Map<string, string[]>();
  const bestCasesByArm: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  for (const [caseId, perArm] of energy) {
    if (!labels.every((l) => perArm.has(l))) continue;
    const top = Math.max(...labels.map((l) => perArm.get(l)!));
    const best = labels.filter((l) => perArm.get(l) === top);
    bestByCase.set(caseId, best);
    for (const b of best) bestCasesByArm[b]++;
  }
  if (bestByCase.size === 0) return null;
  let considered = 0;
  let chosen = 0;
  let chance = 0;
  for (const r of rows) {
    const best = bestByCase.get(r.case_id);
    if (!best || r.choice === "") continue;
    considered++;
    if (best.includes(r.choice)) chosen++;
    chance += best.length / labels.length;
  }
  return {
    answersConsidered: considered,
    bestChosen: chosen,
    share: considered === 0 ? null : chosen / considered,
    chanceShare: considered === 0 ? null : chance / considered,
    bestCasesByArm,
  };
}

export async function studyResults(studyId: string): Promise<StudyResults> {
  const arms = await studyArms(studyId);
  const labels = arms.map((a) => a.label);
  const study = await db().study.findUniqueOrThrow({
    where: { id: studyId },
    select: { questions: true, question: true, settings: true },
  });
  const questions = readQuestions(study);
  const bestMap = questionOfType(questions, "best_map");
  const [allRows, cases] = await Promise.all([
    studyAnswerRows(studyId, arms),
    db().studyCase.findMany({
      where: { studyId },
      orderBy: { caseIndex: "asc" },
      select: {
        id: true,
        caseIndex: true,
        imageId: true,
        image: { select: { label: true, dataset: { select: { classNames: true } } } },
      },
    }),
  ]);
  const heatmaps = await db().heatmap.findMany({
    where: {
      modelRunId: { in: arms.map((a) => a.modelRunId) },
      imageId: { in: cases.map((c) => c.imageId) },
      energyInMask: { not: null },
    },
    select: { modelRunId: true, imageId: true, energyInMask: true },
  });

  // Revoked and excluded readers' answers are kept (and exported with their status) but do not count.
  const notCounted = await db().invitation.findMany({
    where: { studyId, OR: [{ status: "REVOKED" }, { excludedAt: { not: null } }] },
    select: { status: true, reader: { select: { pseudonym: true } } },
  });
  const leftOutStatus = new Map<string, LeftOutStatus>(
    notCounted.map((i) => [i.reader.pseudonym, i.status === "REVOKED" ? "revoked" : "excluded"]),
  );
  // Every statistic over readers and arms reads each reader's first reading of a case; the repeated readings feed
  // intra-reader agreement only (as `focus stats` reads the export's repeat column).
  const firstRows = allRows.filter((r) => r.repeat === 0);
  const leftOut = rowsOfReaders(firstRows, leftOutStatus);
  const rows = firstRows.filter((r) => !leftOutStatus.has(r.reader_id));
  const answers = answersOf(rows);
  const repeatedCases = readSettings(study.settings).repeatedCases;
  const repeatedRows = allRows.filter((r) => r.repeat !== 0 && !leftOutStatus.has(r.reader_id));
  const intraReader =
    repeatedCases === 0 && repeatedRows.length === 0
      ? null
      : intraReaderAgreementOfAnswers(answers, answersOf(repeatedRows));
  const summary = summarize(answers);
  const specialtyOf = new Map(rows.map((r) => [r.reader_id, r.specialty || "(none)"]));
  const bySpecialty = summarizeByGroup(answers, specialtyOf);
  const intraReaderBySpecialty = intraReader === null ? null : intraReaderByGroup(intraReader, specialtyOf);

  const labelOfRun = new Map(arms.map((a) => [a.modelRunId, a.label]));
  const caseOfImage = new Map(cases.map((c) => [c.imageId, c.id]));
  const energy = new Map<string, Map<string, number>>();
  for (const h of heatmaps) {
    const caseId = caseOfImage.get(h.imageId)!;
    let m = energy.get(caseId);
    if (!m) energy.set(caseId, (m = new Map<string, number>()));
    m.set(labelOfRun.get(h.modelRunId)!, h.energyInMask!);
  }
  const localisation = localisationAgreement(rows, energy, labels);

  const majorityOf = new Map(summary.per_case.map((m) => [m.case_id, m]));
  const choicesOf = new Map<string, { readerId: string; choice: string; slot: string }[]>();
  const optionsOf = new Map<string, CaseRow["options"]>();
  for (const r of rows) {
    if (r.choice_option !== "") {
      optionsOf.set(r.case_id, [
        ...(optionsOf.get(r.case_id) ?? []),
        { readerId: r.reader_id, option: r.choice_option },
      ]);
      continue;
    }
    if (r.choice === "") continue;
    let list = choicesOf.get(r.case_id);
    if (!list) choicesOf.set(r.case_id, (list = []));
    list.push({ readerId: r.reader_id, choice: r.choice, slot: r.chosen_slot });
  }
  const caseRows: CaseRow[] = cases.map((c) => {
    const m = majorityOf.get(c.id);
    const perArm = energy.get(c.id);
    let bestLocalised: string[] = [];
    if (perArm && labels.every((l) => perArm.has(l))) {
      const top = Math.max(...labels.map((l) => perArm.get(l)!));
      bestLocalised = labels.filter((l) => perArm.get(l) === top);
    }
    return {
      caseId: c.id,
      caseNumber: c.caseIndex + 1,
      imageId: c.imageId,
      imageLabel: c.image.dataset.classNames[c.image.label] ?? String(c.image.label),
      choices: choicesOf.get(c.id) ?? [],
      options: optionsOf.get(c.id) ?? [],
      majority: m?.majority ?? null,
      tied: m?.tied ?? [],
      agreementShare: m?.share ?? null,
      bestLocalised,
    };
  });

  return {
    arms,
    rows,
    summary,
    bySpecialty,
    bars: armBars(labels, summary),
    unchosenArms: labels.filter((l) => !(l in summary.counts)),
    leftOut,
    perArm: armEffort(labels, rows),
    cases: caseRows,
    localisation,
    questions: await questionResults(studyId, new Set(leftOutStatus.keys())),
    intraReader,
    intraReaderBySpecialty,
    repeatedCases,
    options: {
      none: rows.filter((r) => r.choice_option === "none").length,
      cannotDecide: rows.filter((r) => r.choice_option === "cannot_decide").length,
      offered: { none: bestMap?.allowNone ?? false, cannotDecide: bestMap?.allowCannotDecide ?? false },
    },
  };
}
