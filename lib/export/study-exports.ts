// Analysis exports of a study: a tidy CSV for R and Python, a CSV for spreadsheet programs and a JSON document with
// the settings and the hanging list. They name the arms, so only the study's coordinator reaches them (the route
// checks ownership before calling in here). docs/export-codebook.md describes every column.
import { stringify } from "csv-stringify/sync";
import { db } from "../db/client";
import { recordAudit } from "../audit/audit";
import { slotLetter, slotOrder as designedSlotOrder } from "../blinding/slot-design";
import { readSettings, type StudySettings } from "../studies/study-settings";
import { readQuestions, type StudyQuestion } from "../studies/study-questions";
import { readStoredAnswers } from "../studies/question-answers";
import {
  effectiveCaseOrder,
  effectiveRepeatCases,
  readingOrder,
  slotSeedOf,
  type Reading,
} from "../studies/case-order";
import { neutraliseFormula } from "./csv";
import { OPTION_ANSWERS, studyArms, submittedResponses, type StudyArmInfo } from "./answers-export";

export const TIDY_COLUMNS = [
  "study_id",
  "reader",
  "specialty",
  "reader_status",
  "case_id",
  "image_id",
  "original_name",
  "image_label",
  "position",
  "repeat",
  "question",
  "question_id",
  "slot",
  "variant",
  "seed",
  "arm",
  "model_run_id",
  "answer",
  "confidence",
  "time_server_ms",
  "time_client_ms",
] as const;

export type TidyColumn = (typeof TIDY_COLUMNS)[number];
export type TidyQuestion = StudyQuestion["type"];

export type TidyRow = Record<TidyColumn, string | number | null>;

interface ReaderInfo {
  readerId: string;
  pseudonym: string;
  specialty: string;
  /** pending, accepted, revoked, or excluded (by the coordinator, from the statistics). */
  status: string;
  readerIndex: number;
  /** Position (0-based) -> reading (caseIndex, repeat): the order this reader sees the cases in, repeats last. */
  readings: Reading[];
}

/** Revoked wins over excluded: a revoked reader is out of the study, not only out of the statistics. */
export function readerStatus(i: { status: string; excludedAt: Date | null }): string {
  if (i.status !== "REVOKED" && i.excludedAt) return "excluded";
  return i.status.toLowerCase();
}

interface CaseInfo {
  caseId: string;
  caseIndex: number;
  imageId: string;
  originalName: string;
  label: string;
}

export interface HangingEntry {
  position: number;
  /** 0: the first reading of the case; 1: its repeated reading (study setting repeatedCases). */
  repeat: number;
  case_id: string;
  image_id: string;
  /** Arm labels in slot order, slot A first, as this reader sees (or will see) the case. */
  slots: string[];
  /** Whether the server has served the case to the reader yet. */
  served: boolean;
}

interface StudyExportData {
  study: {
    id: string;
    title: string;
    status: string;
    question: string;
    publishedAt: Date | null;
    closedAt: Date | null;
  };
  settings: StudySettings;
  questions: StudyQuestion[];
  arms: StudyArmInfo[];
  readers: ReaderInfo[];
  cases: CaseInfo[];
  hanging: Map<string, HangingEntry[]>;
  rows: TidyRow[];
}

async function loadStudyExport(studyId: string): Promise<StudyExportData> {
  const study = await db().study.findUniqueOrThrow({
    where: { id: studyId },
    select: {
      id: true,
      title: true,
      status: true,
      question: true,
      settings: true,
      questions: true,
      designSeed: true,
      publishedAt: true,
      closedAt: true,
      dataset: { select: { classNames: true } },
    },
  });
  const arms = await studyArms(studyId);
  const labelOfIndex = new Map(arms.map((a) => [a.armIndex, a]));
  const armById = new Map(arms.map((a) => [a.armId, a]));
  const [invitations, studyCases, orders, responses] = await Promise.all([
    db().invitation.findMany({
      where: { studyId },
      orderBy: { readerIndex: "asc" },
      select: {
        readerId: true,
        specialty: true,
        status: true,
        readerIndex: true,
        caseOrder: true,
        repeatOrder: true,
        excludedAt: true,
        reader: { select: { pseudonym: true } },
      },
    }),
    db().studyCase.findMany({
      where: { studyId },
      orderBy: { caseIndex: "asc" },
      select: { id: true, caseIndex: true, imageId: true, image: { select: { originalName: true, label: true } } },
    }),
    db().slotOrder.findMany({
      where: { studyCase: { studyId } },
      select: { readerId: true, studyCaseId: true, repeat: true, armOrder: true },
    }),
    submittedResponses(studyId),
  ]);
  const classNames = study.dataset.classNames;
  const settings = readSettings(study.settings);
  const questions = readQuestions(study);
  const readers: ReaderInfo[] = invitations.map((i) => ({
    readerId: i.readerId,
    pseudonym: i.reader.pseudonym,
    specialty: i.specialty.toLowerCase(),
    status: readerStatus(i),
    readerIndex: i.readerIndex,
    readings: readingOrder(
      effectiveCaseOrder(i.caseOrder, studyCases.length, settings.caseOrder),
      effectiveRepeatCases(i.repeatOrder, studyCases.length, settings.repeatedCases, {
        designSeed: study.designSeed,
        readerIndex: i.readerIndex,
      }),
    ),
  }));
  const cases: CaseInfo[] = studyCases.map((c) => ({
    caseId: c.id,
    caseIndex: c.caseIndex,
    imageId: c.imageId,
    originalName: c.image.originalName,
    label: classNames[c.image.label] ?? String(c.image.label),
  }));
  const stored = new Map(orders.map((o) => [`${o.readerId}|${o.studyCaseId}|${o.repeat}`, o.armOrder]));
  const caseOfIndex = new Map(cases.map((c) => [c.caseIndex, c]));
  const positionOf = new Map<string, number>();
  const hanging = new Map<string, HangingEntry[]>();
  for (const r of readers) {
    r.readings.forEach(({ caseIndex, repeat }, p) =>
      positionOf.set(`${r.readerId}|${caseOfIndex.get(caseIndex)?.caseId}|${repeat}`, p + 1),
    );
    hanging.set(
      r.readerId,
      r.readings.map(({ caseIndex, repeat }, p) => {
        const c = caseOfIndex.get(caseIndex)!;
        const saved = stored.get(`${r.readerId}|${c.caseId}|${repeat}`);
        const order =
          saved ??
          designedSlotOrder({
            studySeed: slotSeedOf(study.designSeed, repeat),
            readerIndex: r.readerIndex,
            caseIndex: c.caseIndex,
            armCount: arms.length,
          });
        return {
          position: p + 1,
          repeat,
          case_id: c.caseId,
          image_id: c.imageId,
          slots: order.map((i) => labelOfIndex.get(i)?.label ?? `arm${i}`),
          served: saved !== undefined,
        };
      }),
    );
  }
  const readerById = new Map(readers.map((r) => [r.readerId, r]));
  const caseById = new Map(cases.map((c) => [c.caseId, c]));
  const armByIndex = new Map(arms.map((a) => [a.armIndex, a]));
  const rows: TidyRow[] = [];
  for (const r of responses) {
    const reader = readerById.get(r.readerId);
    const c = caseById.get(r.studyCaseId);
    if (!reader || !c) continue;
    const arm = r.chosenArmId === null ? null : armById.get(r.chosenArmId);
    const order = stored.get(`${r.readerId}|${r.studyCaseId}|${r.repeat}`) ?? [];
    const armColumns = (a: StudyArmInfo | null | undefined) => ({
      variant: a ? a.variant.toLowerCase() : "",
      seed: a ? a.seed : null,
      arm: a ? a.label : "",
      model_run_id: a ? a.modelRunId : "",
    });
    const base = {
      study_id: studyId,
      reader: reader.pseudonym,
      specialty: reader.specialty,
      reader_status: reader.status,
      case_id: c.caseId,
      image_id: c.imageId,
      original_name: c.originalName,
      image_label: c.label,
      position: positionOf.get(`${r.readerId}|${c.caseId}|${r.repeat}`) ?? c.caseIndex + 1,
      repeat: r.repeat,
      // The rationale and confidence are about the chosen map, so they carry its slot and arm too.
      slot: r.chosenSlot === null ? "" : slotLetter(r.chosenSlot),
      ...armColumns(arm),
      confidence: r.confidence,
      time_server_ms: r.serverTimeMs,
      time_client_ms: r.clientTimeMs,
    };
    const answers = readStoredAnswers(r.answers);
    for (const q of questions) {
      const row = (answer: string | number, extra: Partial<TidyRow> = {}): TidyRow => ({
        ...base,
        question: q.type,
        question_id: q.id,
        answer,
        ...extra,
      });
      if (q.type === "best_map") {
        if (arm) rows.push(row(arm.label));
        else if (r.chosenOption) rows.push(row(OPTION_ANSWERS[r.chosenOption]));
      } else if (q.type === "rationale") {
        if (r.rationale !== "") rows.push(row(r.rationale));
      } else if (q.type === "confidence") {
        if (r.confidence !== null) rows.push(row(r.confidence));
      } else {
        // A rating or a ranking: one row per map, with the slot the reader saw it in and the arm behind it.
        (answers[q.id] ?? []).forEach((value, slot) => {
          if (value === null) return;
          rows.push(row(value, { slot: slotLetter(slot), ...armColumns(armByIndex.get(order[slot])) }));
        });
      }
    }
  }
  const questionOrder = new Map(questions.map((q, i) => [q.id, i]));
  // By the study's case, then reader: the positions differ between readers when each has their own order.
  const caseIndexOf = (row: TidyRow) => caseById.get(String(row.case_id))?.caseIndex ?? 0;
  rows.sort(
    (a, b) =>
      caseIndexOf(a) - caseIndexOf(b) ||
      String(a.reader).localeCompare(String(b.reader)) ||
      Number(a.repeat) - Number(b.repeat) ||
      questionOrder.get(String(a.question_id))! - questionOrder.get(String(b.question_id))! ||
      (a.question === "rating" || a.question === "ranking" ? String(a.slot).localeCompare(String(b.slot)) : 0),
  );
  return { study, settings, questions, arms, readers, cases, hanging, rows };
}

/** The tidy export's questions and rows, for the results page's rating and ranking statistics. */
export async function studyTidyRows(studyId: string): Promise<{ questions: StudyQuestion[]; rows: TidyRow[] }> {
  const data = await loadStudyExport(studyId);
  return { questions: data.questions, rows: data.rows };
}

function records(rows: readonly TidyRow[]): (string | number | null)[][] {
  return rows.map((r) => TIDY_COLUMNS.map((c) => r[c]));
}

/** The tidy CSV: RFC 4180, plain UTF-8 without a byte order mark, and the data exactly as stored. */
export function tidyCsv(rows: readonly TidyRow[]): string {
  return stringify(records(rows), { header: true, columns: [...TIDY_COLUMNS], record_delimiter: "windows" });
}

/**
 * The same rows for spreadsheet programs: a byte order mark so that Excel reads UTF-8, every cell with a `;` quoted
 * so that it stays one cell where `;` is the list separator, and text that a spreadsheet would run as a formula
 * prefixed with an apostrophe. This file is for reading by people, not for re-analysis.
 */
export function spreadsheetCsv(rows: readonly TidyRow[]): string {
  return stringify(records(rows), { header: true, columns: [...TIDY_COLUMNS], ...SPREADSHEET_CSV });
}

/** csv-stringify options of every file meant for a spreadsheet program (see spreadsheetCsv). */
export const SPREADSHEET_CSV = {
  bom: true,
  record_delimiter: "windows",
  quoted_match: ";",
  cast: { string: (value: string) => neutraliseFormula(value) },
} as const;

export type StudyExportKind = "tidy" | "spreadsheet" | "full";

export interface StudyJsonExport {
  study: {
    id: string;
    title: string;
    status: string;
    question: string;
    published_at: string | null;
    closed_at: string | null;
  };
  settings: StudySettings;
  /** The questions, in order; `answers[].question_id` refers to them. */
  questions: StudyQuestion[];
  exported_at: string;
  arms: { arm_index: number; label: string; variant: string; seed: number; model_run_id: string }[];
  cases: { position: number; case_id: string; image_id: string; original_name: string; image_label: string }[];
  readers: { reader: string; specialty: string; status: string; hanging: HangingEntry[] }[];
  columns: readonly TidyColumn[];
  answers: TidyRow[];
}

function jsonDocument(data: StudyExportData, now: Date): StudyJsonExport {
  return {
    study: {
      id: data.study.id,
      title: data.study.title,
      status: data.study.status,
      question: data.study.question,
      published_at: data.study.publishedAt?.toISOString() ?? null,
      closed_at: data.study.closedAt?.toISOString() ?? null,
    },
    settings: data.settings,
    questions: data.questions,
    exported_at: now.toISOString(),
    arms: data.arms.map((a) => ({
      arm_index: a.armIndex,
      label: a.label,
      variant: a.variant.toLowerCase(),
      seed: a.seed,
      model_run_id: a.modelRunId,
    })),
    cases: data.cases.map((c) => ({
      position: c.caseIndex + 1,
      case_id: c.caseId,
      image_id: c.imageId,
      original_name: c.originalName,
      image_label: c.label,
    })),
    readers: data.readers.map((r) => ({
      reader: r.pseudonym,
      specialty: r.specialty,
      status: r.status,
      hanging: data.hanging.get(r.readerId) ?? [],
    })),
    columns: TIDY_COLUMNS,
    answers: data.rows,
  };
}

/** One export file of the study; each download is written to the audit log with who asked for it. */
export async function exportStudy(studyId: string, kind: StudyExportKind, actorId: string, now = new Date()) {
  const data = await loadStudyExport(studyId);
  await recordAudit(actorId, "study.export", studyId, { format: kind, rows: data.rows.length });
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const base = `focus-study-${studyId}-${stamp}`;
  if (kind === "tidy")
    return { filename: `${base}-tidy.csv`, contentType: "text/csv; charset=utf-8", body: tidyCsv(data.rows) };
  if (kind === "spreadsheet") {
    return {
      filename: `${base}-spreadsheet.csv`,
      contentType: "text/csv; charset=utf-8",
      body: spreadsheetCsv(data.rows),
    };
  }
  return {
    filename: `${base}.json`,
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(jsonDocument(data, now), null, 2)}\n`,
  };
}
