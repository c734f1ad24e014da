// Everything a specialist's browser may learn about a study goes through this module.
// Blinding rule: what leaves here names slots ("A", "B", …) and opaque per-reader
// tokens only, never an arm, variant, model run, training job or heat-map id. The arm behind a
// slot is resolved on the server when an answer is stored.
import { z } from "zod";
import { text } from "../validation/text";
import { db, Prisma } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { slotOrder, slotLetter, slotFromLetter } from "../blinding/slot-design";
import { readSettings, type StudySettings } from "./study-settings";
import {
  effectiveCaseOrder,
  effectiveRepeatCases,
  readingCount,
  readingOrder,
  slotSeedOf,
  type Reading,
} from "./case-order";
import { questionOfType, readQuestions, type StudyQuestion } from "./study-questions";
import {
  answersToStored,
  rankingsInputSchema,
  ratingsInputSchema,
  readStoredAnswers,
  sameStoredAnswers,
  slotLetterSchema,
  storedToRankings,
  storedToRatings,
  type StoredAnswers,
} from "./question-answers";

/** "None of the maps highlights the relevant region" and "cannot decide", the best-map question's other answers. */
export const BEST_MAP_OPTIONS = ["none", "cannot_decide"] as const;
export type BestMapOptionInput = (typeof BEST_MAP_OPTIONS)[number];
const OPTION_COLUMN = { none: "NONE", cannot_decide: "CANNOT_DECIDE" } as const;
const OPTION_OF_COLUMN = { NONE: "none", CANNOT_DECIDE: "cannot_decide" } as const;
type OptionColumn = keyof typeof OPTION_OF_COLUMN;
const optionOf = (c: OptionColumn | null | undefined): BestMapOptionInput | null => (c ? OPTION_OF_COLUMN[c] : null);
import {
  accessRow,
  caseRow,
  insertSlotOrder,
  sessionBlindFileRow,
  slotOrderRow,
  studyCaseRow,
  type BlindFileRow,
  type SlotOrderRow,
} from "./reader-case-queries";

export interface ReaderStudySummary {
  studyId: string;
  title: string;
  status: "OPEN" | "CLOSED";
  answered: number;
  total: number;
}

export interface SlotView {
  letter: string;
  /** The slot's pre-blended overlay PNG (the picture of heat-maps computed before raw maps were stored). */
  url: string;
  /** The slot's raw class-activation map (lib/ml/render/cam-payload.ts) when the case's `mapFormat` is "cam". */
  camUrl: string | null;
  /** Probability of the ground-truth class in whole percent, when the study shows it. */
  probabilityPercent: number | null;
}

/** What a reader has answered (or drafted) on a case, in slot letters. */
export interface CaseAnswerView {
  slot: string | null;
  /** The best-map question's other answer ("none", "cannot decide") instead of a map. */
  option: BestMapOptionInput | null;
  rationale: string;
  confidence: number | null;
  /** Ratings by question id, then slot letter. */
  ratings: Record<string, Record<string, number>>;
  /** Rankings by question id: groups of slot letters, best first. */
  rankings: Record<string, string[][]>;
}

export interface CaseView {
  studyId: string;
  studyTitle: string;
  /** The best-map question's wording (empty when the study asks none). */
  question: string;
  /** Every question of the study, in order; ids and wording only, nothing about arms. */
  questions: StudyQuestion[];
  instructions: string;
  status: "OPEN" | "CLOSED";
  caseNumber: number;
  total: number;
  answered: number;
  /** The original: its display copy (up to 1024 px a side), or the model-size copy for older imports. */
  imageUrl: string;
  /**
   * "cam": every slot's map is a raw class-activation map (lib/ml/render/cam-payload.ts) that the browser
   * up-samples and colours over the original; "overlay": heat-maps computed before raw maps were stored, so every
   * slot of the case shows its pre-blended PNG. One format per case, so no slot looks different from the others.
   */
  mapFormat: "cam" | "overlay";
  colourMap: StudySettings["colourMap"];
  slots: SlotView[];
  /** Name of the image's true class, the class each slot's probability is for; null when P is hidden. */
  probabilityClass: string | null;
  settings: Pick<StudySettings, "allowRevisit" | "showProbabilities"> & {
    /** The rationale question's rules (all off when the study asks none), and whether confidence is asked. */
    rationaleEnabled: boolean;
    rationaleRequired: boolean;
    rationaleMin: number;
    rationaleMax: number;
    confidenceEnabled: boolean;
  };
  saved: CaseAnswerView & { submitted: boolean; fromDraft: boolean };
  /** The submitted answer, so that the page can tell an unsubmitted change from what is stored. */
  answer: CaseAnswerView | null;
}

export const blindUrl = (token: string) => `/api/blind/${token}`;
export const blindCamUrl = (token: string) => `/api/blind/${token}/cam`;

export async function readerAccess(readerId: string, studyId: string) {
  const access = await accessRow(readerId, studyId);
  // Not invited, revoked or not yet published: indistinguishable from a study that does not exist.
  if (!access || access.invitationStatus === "REVOKED" || access.study.status === "DRAFT")
    throw DomainError.notFound("No such study.");
  // Position (0-based) -> the study's caseIndex and which reading of it: what "Case n" means for this reader. The
  // repeated cases come after the last one and count in the total like any other case.
  const caseOrder = effectiveCaseOrder(access.caseOrder, access.caseCount, access.settings.caseOrder);
  const repeats = effectiveRepeatCases(access.repeatOrder, access.caseCount, access.settings.repeatedCases, {
    designSeed: access.study.designSeed,
    readerIndex: access.readerIndex,
  });
  const readings = readingOrder(caseOrder, repeats);
  const study = { ...access.study, status: access.study.status };
  return {
    readerIndex: access.readerIndex,
    readings,
    study,
    settings: access.settings,
    caseCount: access.caseCount,
    /** Readings in all: the cases and the repeated ones. */
    total: readings.length,
    arms: access.arms,
  };
}

/** The reader's studies; `studyId` narrows them to the one study a session grants. */
export async function readerStudies(readerId: string, studyId?: string): Promise<ReaderStudySummary[]> {
  const invitations = await db().invitation.findMany({
    where: {
      readerId,
      ...(studyId ? { studyId } : {}),
      status: { not: "REVOKED" },
      study: { status: { in: ["OPEN", "CLOSED"] } },
    },
    orderBy: { createdAt: "desc" },
    select: {
      study: { select: { id: true, title: true, status: true, settings: true, _count: { select: { cases: true } } } },
    },
  });
  // Submitted readings, repeated ones included: they count in the reader's progress like any other case.
  const answered = await db().response.findMany({
    where: { readerId, submittedAt: { not: null }, studyCase: { studyId: { in: invitations.map((i) => i.study.id) } } },
    select: { studyCase: { select: { studyId: true } } },
  });
  const perStudy = new Map<string, number>();
  for (const a of answered) perStudy.set(a.studyCase.studyId, (perStudy.get(a.studyCase.studyId) ?? 0) + 1);
  return invitations.map(({ study }) => ({
    studyId: study.id,
    title: study.title,
    status: study.status as "OPEN" | "CLOSED",
    answered: perStudy.get(study.id) ?? 0,
    total: readingCount(study._count.cases, readSettings(study.settings)),
  }));
}

/**
 * Creates the reader's slot order and tokens for a reading of a case on first view; concurrent first views agree. A
 * repeated reading draws its order from the second design (case-order.ts), independent of the first reading's.
 */
async function ensureSlotOrder(
  readerId: string,
  readerIndex: number,
  designSeed: string,
  studyCase: { id: string; caseIndex: number },
  repeat: number,
  armCount: number,
  known?: SlotOrderRow | null,
): Promise<SlotOrderRow> {
  const existing = known === undefined ? await slotOrderRow(readerId, studyCase.id, repeat) : known;
  if (existing) return existing;
  const studySeed = slotSeedOf(designSeed, repeat);
  const armOrder = slotOrder({ studySeed, readerIndex, caseIndex: studyCase.caseIndex, armCount });
  return insertSlotOrder(readerId, studyCase.id, repeat, armOrder, new Date());
}

/** The reading at a reader's position `caseNumber` (1-based) in their own order. */
function readingAt(caseNumber: number, readings: readonly Reading[]): Reading {
  const reading = Number.isInteger(caseNumber) ? readings[caseNumber - 1] : undefined;
  if (reading === undefined) throw DomainError.notFound("No such case in this study.");
  return reading;
}

async function studyCaseByNumber(studyId: string, caseNumber: number, readings: readonly Reading[]) {
  const reading = readingAt(caseNumber, readings);
  const studyCase = await studyCaseRow(studyId, reading.caseIndex);
  if (!studyCase) throw DomainError.notFound("No such case in this study.");
  return { ...studyCase, repeat: reading.repeat };
}

export const NO_ANSWER: CaseAnswerView = {
  slot: null,
  option: null,
  rationale: "",
  confidence: null,
  ratings: {},
  rankings: {},
};

/** The rationale and confidence rules as the page's fields read them, from the study's questions. */
export function pageRules(settings: StudySettings, questions: readonly StudyQuestion[]): CaseView["settings"] {
  const rationaleQ = questionOfType(questions, "rationale");
  return {
    rationaleEnabled: rationaleQ !== null,
    rationaleRequired: rationaleQ?.required ?? false,
    rationaleMin: rationaleQ?.min ?? 0,
    rationaleMax: rationaleQ?.max ?? 0,
    allowRevisit: settings.allowRevisit,
    confidenceEnabled: questionOfType(questions, "confidence") !== null,
    showProbabilities: settings.showProbabilities,
  };
}

/** The settings and questions a survey page and an answer are checked against. */
function studyRules(study: { settings: unknown; questions: unknown; question: string }) {
  const settings = readSettings(study.settings);
  const questions = readQuestions(study);
  return { settings, questions };
}

function answerView(
  r: {
    slot: number | null;
    option: OptionColumn | null;
    rationale: string | null;
    confidence: number | null;
    answers: StoredAnswers;
  },
  questions: readonly StudyQuestion[],
): CaseAnswerView {
  return {
    slot: r.slot === null ? null : slotLetter(r.slot),
    option: optionOf(r.option),
    rationale: r.rationale ?? "",
    confidence: r.confidence,
    ratings: storedToRatings(r.answers, questions),
    rankings: storedToRankings(r.answers, questions),
  };
}

export async function readerCase(readerId: string, studyId: string, caseNumber: number): Promise<CaseView> {
  // Two round trips when the reader has seen the case before (access, then the case with its slot order,
  // tokens, probabilities, answer and progress), one more on first view (the slot order and its tokens).
  const { readerIndex, readings, study, total, arms } = await readerAccess(readerId, studyId);
  const { settings, questions } = studyRules(study);
  const reading = readingAt(caseNumber, readings);
  const found = await caseRow(
    readerId,
    studyId,
    reading.caseIndex,
    reading.repeat,
    arms.map((a) => a.modelRunId),
  );
  if (!found) throw DomainError.notFound("No such case in this study.");
  const order = await ensureSlotOrder(
    readerId,
    readerIndex,
    study.designSeed,
    found,
    reading.repeat,
    arms.length,
    found.slotOrder,
  );
  const tokenOfSlot = new Map(order.tokens.map((t) => [t.slot, t.token]));
  const probabilityClass = settings.showProbabilities ? found.className : null;
  const { response, answered } = found;
  const mapFormat =
    found.heatmaps === arms.length && found.rawMaps === arms.length ? ("cam" as const) : ("overlay" as const);
  const useDraft = !!response?.draftSavedAt && (!response.submittedAt || response.draftSavedAt > response.submittedAt);
  const submitted = response?.submittedAt
    ? answerView(
        {
          slot: response.chosenSlot,
          option: response.chosenOption,
          rationale: response.rationale,
          confidence: response.confidence,
          answers: readStoredAnswers(response.answers),
        },
        questions,
      )
    : null;
  const draft =
    useDraft && response
      ? answerView(
          {
            slot: response.draftSlot,
            option: response.draftOption,
            rationale: response.draftRationale,
            confidence: response.draftConfidence,
            answers: readStoredAnswers(response.draftAnswers ?? response.answers),
          },
          questions,
        )
      : null;

  return {
    studyId,
    studyTitle: study.title,
    question: questionOfType(questions, "best_map")?.wording ?? "",
    questions,
    instructions: study.instructions,
    status: study.status,
    caseNumber,
    total,
    answered,
    imageUrl: blindUrl(tokenOfSlot.get(null)!),
    mapFormat,
    colourMap: settings.colourMap,
    slots: order.armOrder.map((armIndex, slot) => {
      const p = found.probabilities[arms[armIndex].modelRunId];
      return {
        letter: slotLetter(slot),
        url: blindUrl(tokenOfSlot.get(slot)!),
        camUrl: mapFormat === "cam" ? blindCamUrl(tokenOfSlot.get(slot)!) : null,
        probabilityPercent: settings.showProbabilities && p !== undefined ? Math.round(p * 100) : null,
      };
    }),
    probabilityClass,
    settings: pageRules(settings, questions),
    saved: { ...(draft ?? submitted ?? NO_ANSWER), submitted: submitted !== null, fromDraft: draft !== null },
    answer: submitted,
  };
}

/** The reader's first position (1-based, in their own order) without a submitted answer, or null when all are. */
export async function nextOpenCase(readerId: string, studyId: string): Promise<number | null> {
  const { readings } = await readerAccess(readerId, studyId);
  return (await firstOpenPosition(readerId, studyId, readings)).position;
}

async function firstOpenPosition(readerId: string, studyId: string, readings: readonly Reading[]) {
  const answered = await db().$queryRaw<{ caseIndex: number; repeat: number }[]>`
    select c."caseIndex", r."repeat" from "StudyCase" c join "Response" r on r."studyCaseId" = c.id
     where c."studyId" = ${studyId} and r."readerId" = ${readerId} and r."submittedAt" is not null`;
  const done = new Set(answered.map((c) => `${c.caseIndex}|${c.repeat}`));
  const position = readings.findIndex((r) => !done.has(`${r.caseIndex}|${r.repeat}`));
  return { position: position === -1 ? null : position + 1, answered: done.size };
}

const optionSchema = z.enum(BEST_MAP_OPTIONS, { error: "Option must be none or cannot_decide" });
const rationaleSchema = text().max(5000, "Rationale is longer than 5000 characters");
const confidenceSchema = z
  .number()
  .int("Confidence is 1 to 5")
  .min(1, "Confidence is 1 to 5")
  .max(5, "Confidence is 1 to 5");

// In a draft, an absent field leaves what is saved as it is; the ranking and rating drafts are replaced as a whole
// whenever either is sent.
export const draftInputSchema = z.object({
  slot: slotLetterSchema.nullable().optional(),
  option: optionSchema.nullable().optional(),
  rationale: rationaleSchema.optional(),
  confidence: confidenceSchema.nullable().optional(),
  ratings: ratingsInputSchema.optional(),
  rankings: rankingsInputSchema.optional(),
});

// One answer to every question of the case: `slot` or `option` answers the best-map question, `ratings` and
// `rankings` the rating and ranking questions by question id. Which are required is the study's rule (submitAnswer).
export const answerInputSchema = z.object({
  slot: slotLetterSchema.optional(),
  option: optionSchema.optional(),
  rationale: rationaleSchema.default(""),
  confidence: confidenceSchema.nullable().optional(),
  ratings: ratingsInputSchema.optional(),
  rankings: rankingsInputSchema.optional(),
  clientTimeMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600_000)
    .optional(),
});

/** Parsed once, by the route (lib/http/handler.ts parseJson); the rules of the study are checked here. */
export type DraftInput = z.infer<typeof draftInputSchema>;
export type AnswerInput = z.infer<typeof answerInputSchema>;

export async function writableCase(readerId: string, studyId: string, caseNumber: number) {
  const { readerIndex, readings, study, total, arms } = await readerAccess(readerId, studyId);
  if (study.status !== "OPEN") throw DomainError.conflict("This study is closed; answers can no longer be changed.");
  const studyCase = await studyCaseByNumber(studyId, caseNumber, readings);
  return { readerIndex, readings, study, ...studyRules(study), studyCase, armCount: arms.length, arms, total };
}

function fieldError(field: string, message: string): DomainError {
  return DomainError.invalid(`${field}: ${message}.`, [{ field, message }]);
}

/** The best-map part of an input, checked against the study's best-map question. */
function bestMapInput(
  questions: readonly StudyQuestion[],
  data: { slot?: string | null; option?: BestMapOptionInput | null },
  armCount: number,
) {
  const q = questionOfType(questions, "best_map");
  if (data.slot && data.option) throw fieldError("option", "choose a map or an option, not both");
  if (!q && (data.slot || data.option)) throw fieldError("slot", "this study does not ask for a best map");
  if (data.option === "none" && !q?.allowNone) throw fieldError("option", "this study does not offer “none”");
  if (data.option === "cannot_decide" && !q?.allowCannotDecide)
    throw fieldError("option", "this study does not offer “cannot decide”");
  return {
    question: q,
    slot: data.slot ? slotIndex(data.slot, armCount) : data.slot === null ? null : undefined,
    option: data.option ? OPTION_COLUMN[data.option] : data.option === null ? null : undefined,
  };
}

function rationaleError(rule: string): DomainError {
  return DomainError.invalid(`rationale: ${rule}.`, [{ field: "rationale", message: rule }]);
}

const noRationale = () => rationaleError("this study does not ask for a rationale");
const noConfidence = () =>
  DomainError.invalid("confidence: this study does not ask for confidence.", [
    { field: "confidence", message: "this study does not ask for confidence" },
  ]);

function slotIndex(letter: string, armCount: number): number {
  const slot = slotFromLetter(letter, armCount);
  if (slot === null)
    throw DomainError.invalid(`slot: this case has no Model ${letter}.`, [
      { field: "slot", message: `this case has no Model ${letter}` },
    ]);
  return slot;
}

export async function saveDraft(
  readerId: string,
  studyId: string,
  caseNumber: number,
  data: DraftInput,
): Promise<{ savedAt: string }> {
  const { studyCase, armCount, questions } = await writableCase(readerId, studyId, caseNumber);
  const rationaleQ = questionOfType(questions, "rationale");
  if (data.rationale !== undefined && data.rationale.length > (rationaleQ?.max ?? 0)) {
    throw rationaleQ ? rationaleError(`at most ${rationaleQ.max} characters`) : noRationale();
  }
  if (data.confidence != null && !questionOfType(questions, "confidence")) throw noConfidence();
  const best = bestMapInput(questions, data, armCount);
  // Choosing a map clears a drafted option and the other way round.
  const draftSlot = best.option ? null : best.slot;
  const draftOption = best.slot !== undefined && best.slot !== null ? null : best.option;
  const draftAnswers =
    data.ratings !== undefined || data.rankings !== undefined
      ? answersToStored(questions, data, armCount, false)
      : undefined;
  const draftSavedAt = new Date();
  const fields = {
    draftSlot,
    draftOption,
    draftRationale: data.rationale,
    draftConfidence: data.confidence,
    draftAnswers,
    draftSavedAt,
  };
  const { repeat } = studyCase;
  await db().response.upsert({
    where: { studyCaseId_readerId_repeat: { studyCaseId: studyCase.id, readerId, repeat } },
    create: { studyCaseId: studyCase.id, readerId, repeat, ...fields },
    update: fields,
  });
  return { savedAt: draftSavedAt.toISOString() };
}

export async function submitAnswer(
  readerId: string,
  studyId: string,
  caseNumber: number,
  data: AnswerInput,
): Promise<{ answered: number; total: number; nextCase: number | null }> {
  const { studyCase, armCount, arms, total, readings, settings, questions, readerIndex, study } = await writableCase(
    readerId,
    studyId,
    caseNumber,
  );
  const { repeat } = studyCase;
  const best = bestMapInput(questions, data, armCount);
  const slot = best.slot ?? null;
  const option = best.option ?? null;
  if (best.question?.required && slot === null && option === null) throw fieldError("slot", "choose a map");
  const rationale = data.rationale.trim();
  const rationaleQ = questionOfType(questions, "rationale");
  if (!rationaleQ && rationale !== "") throw noRationale();
  if (rationaleQ && rationale.length > rationaleQ.max) throw rationaleError(`at most ${rationaleQ.max} characters`);
  if (rationaleQ?.required && rationale.length < Math.max(1, rationaleQ.min)) {
    throw rationaleError(`at least ${Math.max(1, rationaleQ.min)} characters`);
  }
  const confidenceQ = questionOfType(questions, "confidence");
  if (!confidenceQ && data.confidence != null) throw noConfidence();
  if (confidenceQ?.required && data.confidence == null) throw fieldError("confidence", "choose your confidence");
  const answers = answersToStored(questions, data, armCount, true);
  const order = await ensureSlotOrder(readerId, readerIndex, study.designSeed, studyCase, repeat, armCount);
  const arm = slot === null ? null : arms[order.armOrder[slot]];
  const now = new Date();
  const key = { studyCaseId_readerId_repeat: { studyCaseId: studyCase.id, readerId, repeat } };
  const existing = await db().response.findUnique({ where: key });
  const confidence = data.confidence ?? null;
  const sameAnswerAs = (r: {
    chosenSlot: number | null;
    chosenOption: OptionColumn | null;
    rationale: string;
    confidence: number | null;
    answers: unknown;
  }) =>
    r.chosenSlot === slot &&
    r.chosenOption === option &&
    r.rationale === rationale &&
    r.confidence === confidence &&
    sameStoredAnswers(readStoredAnswers(r.answers), answers);
  const alreadyAnswered = () =>
    DomainError.conflict("This case is already answered and the study does not allow changes.");
  if (existing?.submittedAt && !settings.allowRevisit) {
    // A retried submission of the same answer succeeds; a different one would be a change.
    if (!sameAnswerAs(existing)) throw alreadyAnswered();
  }
  const answer = {
    chosenArmId: arm?.id ?? null,
    chosenSlot: slot,
    chosenOption: option,
    rationale,
    confidence,
    answers,
    clientTimeMs: existing?.clientTimeMs ?? data.clientTimeMs ?? null,
    // Time from the server first showing the case to the first submission.
    serverTimeMs: existing?.serverTimeMs ?? (order.firstSeenAt ? now.getTime() - order.firstSeenAt.getTime() : null),
    submittedAt: existing?.submittedAt ?? now,
    draftSlot: null,
    draftRationale: null,
    draftConfidence: null,
    draftOption: null,
    draftAnswers: Prisma.DbNull,
    draftSavedAt: null,
  };
  if (settings.allowRevisit) {
    // One row per (case, reader, reading): a double click or a retried request updates the same answer.
    await db().response.upsert({
      where: key,
      create: { studyCaseId: studyCase.id, readerId, repeat, ...answer },
      update: answer,
    });
  } else if (!existing?.submittedAt) {
    // Without revisiting, the first submission is final: a conditional write (insert, or update of a row that
    // holds no submitted answer yet), so of concurrent different submissions exactly one is stored.
    let written = false;
    if (!existing) {
      try {
        await db().response.create({ data: { studyCaseId: studyCase.id, readerId, repeat, ...answer } });
        written = true;
      } catch (e) {
        if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
      }
    }
    if (!written) {
      const updated = await db().response.updateMany({
        where: { studyCaseId: studyCase.id, readerId, repeat, submittedAt: null },
        data: answer,
      });
      if (updated.count !== 1) {
        const winner = await db().response.findUniqueOrThrow({ where: key });
        if (!sameAnswerAs(winner)) throw alreadyAnswered();
      }
    }
  }
  await db().invitation.update({ where: { studyId_readerId: { studyId, readerId } }, data: { lastActiveAt: now } });
  const next = await firstOpenPosition(readerId, studyId, readings);
  return { answered: next.answered, total, nextCase: next.position };
}

// The alphabet and length of lib/blinding's opaque tokens: anything else is not looked up.
const BLIND_TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

/** What a token's URL asks for: the picture (the original, or the pre-blended overlay of a slot) or a slot's raw map. */
export type BlindPayload = "picture" | "cam";

/** Which stored file a token's row serves for `payload`, or null (an original has no raw map). */
function blindKey(row: BlindFileRow, payload: BlindPayload): { key: string } | null {
  if (payload === "cam") return row.slot !== null && row.camKey ? { key: row.camKey } : null;
  if (row.slot === null) return row.imageKey ? { key: row.imageKey } : null;
  return row.overlayKey ? { key: row.overlayKey } : null;
}

/**
 * The blind lookup of a request, in one round trip: the session's user and invitation rows (for lib/auth's
 * session check, which the caller applies) and the token's file in that invitation's study. Only a token of
 * this reader in that study has a file; any other token looks exactly like a missing one.
 */
export async function sessionBlindFile(readerId: string, invitationId: string, token: string, payload: BlindPayload) {
  if (!BLIND_TOKEN.test(token)) return null;
  const found = await sessionBlindFileRow(readerId, invitationId, token);
  if (!found) return null;
  return { user: found.user, file: found.file ? blindKey(found.file, payload) : null };
}
