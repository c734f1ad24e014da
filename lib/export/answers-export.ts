// One row per submitted answer, as CSV or JSON. The same rows feed the results page (lib/studies/results.ts),
// so `focus stats --input export.csv` re-analyses exactly what the coordinator saw. Exports and the results
// page are the only places where arms are named.
import { db } from "../db/client";
import { recordAudit } from "../audit/audit";
import { slotLetter } from "../blinding/slot-design";
import { toCsv, type CsvCell } from "./csv";

/** The best-map question's answers that are not a map, as exports write them. */
export const OPTION_ANSWERS = { NONE: "none", CANNOT_DECIDE: "cannot_decide" } as const;

export const EXPORT_COLUMNS = [
  "study_id",
  "case_id",
  "case_number",
  "repeat",
  "image_id",
  "image_label",
  "reader_id",
  "specialty",
  "slot_order",
  "chosen_slot",
  "choice",
  "choice_option",
  "model_run_id",
  "rationale",
  "confidence",
  "time_server_ms",
  "time_client_ms",
  "created_at",
  "updated_at",
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export interface AnswerExportRow {
  study_id: string;
  case_id: string;
  /** 1-based position of the case in the study, as readers saw it ("Case 3 of 12"). */
  case_number: number;
  /**
   * 0 for the reader's first reading of the case, 1 for its repeated reading (study setting repeatedCases). Every
   * statistic but intra-reader agreement reads the first readings only; `focus stats` does the same.
   */
  repeat: number;
  image_id: string;
  /** The dataset's class name for the ground-truth label. */
  image_label: string;
  /** The reader's pseudonym, never the email. */
  reader_id: string;
  specialty: string;
  /** Arm names in slot order as shown to this reader on this case, e.g. "gc|baseline|se|cbam". */
  slot_order: string;
  chosen_slot: string;
  /**
   * The chosen arm's name: its variant in lower case ("cbam"), with "-s<seed>" when two arms share a variant. Empty
   * when the reader answered "none" or "cannot decide" (`choice_option`) or the study asks no best-map question, so
   * that `focus stats` counts it as a missing choice, as the results page does.
   */
  choice: string;
  /** "none" or "cannot_decide" when the reader gave that answer instead of a map; else empty. */
  choice_option: "" | "none" | "cannot_decide";
  model_run_id: string;
  rationale: string;
  confidence: number | null;
  time_server_ms: number | null;
  time_client_ms: number | null;
  /** First submission of the answer. */
  created_at: string;
  /** Last change of the row (a revisited answer, or a later draft on it). */
  updated_at: string;
}

/**
 * Names for a study's arms, index = armIndex. The variant alone when it is unique in the study (the usual case:
 * one run per variant); otherwise variant and seed, and the run id's tail if even that repeats.
 */
export function armLabels(arms: readonly { variant: string; seed: number; modelRunId: string }[]): string[] {
  const variants = arms.map((a) => a.variant.toLowerCase());
  const withSeed = arms.map((a, i) => `${variants[i]}-s${a.seed}`);
  return arms.map((a, i) => {
    if (variants.filter((v) => v === variants[i]).length === 1) return variants[i];
    if (withSeed.filter((v) => v === withSeed[i]).length === 1) return withSeed[i];
    return `${withSeed[i]}-${a.modelRunId.slice(-6)}`;
  });
}

export interface StudyArmInfo {
  armId: string;
  armIndex: number;
  modelRunId: string;
  variant: string;
  seed: number;
  label: string;
}

export async function studyArms(studyId: string): Promise<StudyArmInfo[]> {
  const arms = await db().studyArm.findMany({
    where: { studyId },
    orderBy: { armIndex: "asc" },
    select: { id: true, armIndex: true, modelRunId: true, modelRun: { select: { variant: true, seed: true } } },
  });
  const labels = armLabels(
    arms.map((a) => ({ variant: a.modelRun.variant, seed: a.modelRun.seed, modelRunId: a.modelRunId })),
  );
  return arms.map((a, i) => ({
    armId: a.id,
    armIndex: a.armIndex,
    modelRunId: a.modelRunId,
    variant: a.modelRun.variant,
    seed: a.modelRun.seed,
    label: labels[i],
  }));
}

/** The study's submitted answers as stored: the one query every export and the results page start from. */
export function submittedResponses(studyId: string) {
  return db().response.findMany({
    where: { studyCase: { studyId }, submittedAt: { not: null } },
    select: {
      readerId: true,
      studyCaseId: true,
      repeat: true,
      chosenArmId: true,
      chosenSlot: true,
      chosenOption: true,
      answers: true,
      rationale: true,
      confidence: true,
      serverTimeMs: true,
      clientTimeMs: true,
      submittedAt: true,
      updatedAt: true,
      reader: { select: { pseudonym: true } },
      studyCase: { select: { caseIndex: true, imageId: true, image: { select: { label: true } } } },
    },
  });
}

/** Every submitted answer of the study, ordered by case, then reader pseudonym, then reading (first, repeat). */
export async function studyAnswerRows(studyId: string, arms?: StudyArmInfo[]): Promise<AnswerExportRow[]> {
  const armList = arms ?? (await studyArms(studyId));
  const armById = new Map(armList.map((a) => [a.armId, a]));
  const labelOfIndex = new Map(armList.map((a) => [a.armIndex, a.label]));
  const [study, responses] = await Promise.all([
    db().study.findUniqueOrThrow({ where: { id: studyId }, select: { dataset: { select: { classNames: true } } } }),
    submittedResponses(studyId),
  ]);
  const orders = await db().slotOrder.findMany({
    where: { studyCase: { studyId } },
    select: { readerId: true, studyCaseId: true, repeat: true, armOrder: true },
  });
  const orderOf = new Map(orders.map((o) => [`${o.readerId}|${o.studyCaseId}|${o.repeat}`, o.armOrder]));
  const invitations = await db().invitation.findMany({
    where: { studyId },
    select: { readerId: true, specialty: true },
  });
  const specialtyOf = new Map(invitations.map((i) => [i.readerId, i.specialty]));
  const classNames = study.dataset.classNames;
  const rows = responses.map((r): AnswerExportRow => {
    const arm = r.chosenArmId === null ? undefined : armById.get(r.chosenArmId);
    const order = orderOf.get(`${r.readerId}|${r.studyCaseId}|${r.repeat}`) ?? [];
    return {
      study_id: studyId,
      case_id: r.studyCaseId,
      case_number: r.studyCase.caseIndex + 1,
      repeat: r.repeat,
      image_id: r.studyCase.imageId,
      image_label: classNames[r.studyCase.image.label] ?? String(r.studyCase.image.label),
      reader_id: r.reader.pseudonym,
      // The specialty this study's coordinator gave the reader, not whatever another study said.
      specialty: (specialtyOf.get(r.readerId) ?? "").toLowerCase(),
      slot_order: order.map((i) => labelOfIndex.get(i) ?? `arm${i}`).join("|"),
      chosen_slot: r.chosenSlot === null ? "" : slotLetter(r.chosenSlot),
      choice: arm?.label ?? "",
      choice_option: r.chosenOption === null ? "" : OPTION_ANSWERS[r.chosenOption],
      model_run_id: arm?.modelRunId ?? "",
      rationale: r.rationale,
      confidence: r.confidence,
      time_server_ms: r.serverTimeMs,
      time_client_ms: r.clientTimeMs,
      created_at: r.submittedAt!.toISOString(),
      updated_at: r.updatedAt.toISOString(),
    };
  });
  return rows.sort(
    (a, b) =>
      a.case_number - b.case_number ||
      (a.reader_id < b.reader_id ? -1 : a.reader_id > b.reader_id ? 1 : 0) ||
      a.repeat - b.repeat,
  );
}

export function answersToCsv(rows: readonly AnswerExportRow[]): string {
  return toCsv(
    EXPORT_COLUMNS,
    rows.map((r) => EXPORT_COLUMNS.map((c) => r[c] as CsvCell)),
  );
}

export interface AnswersJsonExport {
  study: {
    id: string;
    title: string;
    status: string;
    arms: { label: string; variant: string; seed: number; model_run_id: string }[];
  };
  exported_at: string;
  columns: readonly ExportColumn[];
  answers: AnswerExportRow[];
}

export type ExportFormat = "csv" | "json";

/** The export document for a study, written to the audit log with who asked for it. */
export async function exportStudyAnswers(studyId: string, format: ExportFormat, actorId: string, now = new Date()) {
  const study = await db().study.findUniqueOrThrow({
    where: { id: studyId },
    select: { id: true, title: true, status: true },
  });
  const arms = await studyArms(studyId);
  const rows = await studyAnswerRows(studyId, arms);
  await recordAudit(actorId, "study.export", studyId, { format, rows: rows.length });
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const filename = `focus-study-${studyId}-${stamp}.${format}`;
  if (format === "csv")
    return { filename, contentType: "text/csv; charset=utf-8", body: answersToCsv(rows), rows: rows.length };
  const doc: AnswersJsonExport = {
    study: {
      id: study.id,
      title: study.title,
      status: study.status,
      arms: arms.map((a) => ({
        label: a.label,
        variant: a.variant.toLowerCase(),
        seed: a.seed,
        model_run_id: a.modelRunId,
      })),
    },
    exported_at: now.toISOString(),
    columns: EXPORT_COLUMNS,
    answers: rows,
  };
  return {
    filename,
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(doc, null, 2)}\n`,
    rows: rows.length,
  };
}
