// Everything a specialist's browser may learn about a study goes through this module.
// Blinding rule: what leaves here names slots ("A", "B", …) and opaque per-reader
// tokens only, never an arm, variant, model run, training job or heat-map id. The arm behind a
// slot is resolved on the server when an answer is stored.
import { z } from "zod";
import { text } from "../validation/text";
import { db, Prisma } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { slotOrder, slotLetter, slotFromLetter } from "../blinding/slot-design";
import { newOpaqueToken } from "../blinding/opaque-id";
import { readSettings, type StudySettings } from "./study-settings";
import { effectiveCaseOrder } from "./case-order";

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

export interface CaseView {
  studyId: string;
  studyTitle: string;
  question: string;
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
  settings: Pick<
    StudySettings,
    "rationaleRequired" | "rationaleMin" | "rationaleMax" | "allowRevisit" | "confidenceEnabled" | "showProbabilities"
  >;
  saved: { slot: string | null; rationale: string; confidence: number | null; submitted: boolean; fromDraft: boolean };
  /** The submitted answer, so that the page can tell an unsubmitted change from what is stored. */
  answer: { slot: string; rationale: string; confidence: number | null } | null;
}

export const blindUrl = (token: string) => `/api/blind/${token}`;
export const blindCamUrl = (token: string) => `/api/blind/${token}/cam`;

export async function readerAccess(readerId: string, studyId: string) {
  const invitation = await db().invitation.findUnique({
    where: { studyId_readerId: { studyId, readerId } },
    select: {
      readerIndex: true,
      status: true,
      caseOrder: true,
      study: {
        select: {
          id: true,
          title: true,
          question: true,
          instructions: true,
          status: true,
          settings: true,
          designSeed: true,
          _count: { select: { cases: true } },
        },
      },
    },
  });
  // Not invited, revoked or not yet published: indistinguishable from a study that does not exist.
  if (!invitation || invitation.status === "REVOKED" || invitation.study.status === "DRAFT")
    throw DomainError.notFound("No such study.");
  const { _count, ...study } = invitation.study;
  // Position (0-based) -> the study's caseIndex: what "Case n" means for this reader.
  const caseOrder = effectiveCaseOrder(invitation.caseOrder, _count.cases, readSettings(study.settings).caseOrder);
  return { readerIndex: invitation.readerIndex, caseOrder, study: { ...study, status: invitation.study.status } };
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
    select: { study: { select: { id: true, title: true, status: true, _count: { select: { cases: true } } } } },
  });
  const answered = await db().response.groupBy({
    by: ["studyCaseId"],
    where: { readerId, submittedAt: { not: null }, studyCase: { studyId: { in: invitations.map((i) => i.study.id) } } },
  });
  const answeredCase = new Set(answered.map((a) => a.studyCaseId));
  const cases = await db().studyCase.findMany({ where: { id: { in: [...answeredCase] } }, select: { studyId: true } });
  const perStudy = new Map<string, number>();
  for (const c of cases) perStudy.set(c.studyId, (perStudy.get(c.studyId) ?? 0) + 1);
  return invitations.map(({ study }) => ({
    studyId: study.id,
    title: study.title,
    status: study.status as "OPEN" | "CLOSED",
    answered: perStudy.get(study.id) ?? 0,
    total: study._count.cases,
  }));
}

/** Creates the reader's slot order and tokens for a case on first view; concurrent first views agree. */
async function ensureSlotOrder(
  readerId: string,
  readerIndex: number,
  designSeed: string,
  studyCase: { id: string; caseIndex: number },
  armCount: number,
) {
  const existing = await db().slotOrder.findUnique({
    where: { readerId_studyCaseId: { readerId, studyCaseId: studyCase.id } },
    include: { blindTokens: true },
  });
  if (existing) return existing;
  const armOrder = slotOrder({ studySeed: designSeed, readerIndex, caseIndex: studyCase.caseIndex, armCount });
  try {
    return await db().slotOrder.create({
      data: {
        readerId,
        studyCaseId: studyCase.id,
        armOrder,
        firstSeenAt: new Date(),
        blindTokens: {
          create: [null, ...armOrder.map((_, slot) => slot)].map((slot) => ({
            token: newOpaqueToken(),
            readerId,
            slot,
          })),
        },
      },
      include: { blindTokens: true },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return db().slotOrder.findUniqueOrThrow({
        where: { readerId_studyCaseId: { readerId, studyCaseId: studyCase.id } },
        include: { blindTokens: true },
      });
    }
    throw e;
  }
}

/** The heat-maps' probabilities are for the image's ground-truth class (lib/jobs/run-heatmaps.ts). */
async function trueClassName(imageId: string): Promise<string> {
  const image = await db().image.findUniqueOrThrow({
    where: { id: imageId },
    select: { label: true, dataset: { select: { classNames: true } } },
  });
  return image.dataset.classNames[image.label] ?? `class ${image.label}`;
}

/** The case at a reader's position `caseNumber` (1-based) in their own order. */
async function studyCaseByNumber(studyId: string, caseNumber: number, caseOrder: readonly number[]) {
  const caseIndex = Number.isInteger(caseNumber) ? caseOrder[caseNumber - 1] : undefined;
  if (caseIndex === undefined) throw DomainError.notFound("No such case in this study.");
  const studyCase = await db().studyCase.findUnique({
    where: { studyId_caseIndex: { studyId, caseIndex } },
    select: { id: true, caseIndex: true, imageId: true },
  });
  if (!studyCase) throw DomainError.notFound("No such case in this study.");
  return studyCase;
}

export async function readerCase(readerId: string, studyId: string, caseNumber: number): Promise<CaseView> {
  const { readerIndex, caseOrder, study } = await readerAccess(readerId, studyId);
  const settings = readSettings(study.settings);
  const [studyCase, arms] = await Promise.all([
    studyCaseByNumber(studyId, caseNumber, caseOrder),
    db().studyArm.findMany({ where: { studyId }, orderBy: { armIndex: "asc" }, select: { modelRunId: true } }),
  ]);
  const [order, heatmaps] = await Promise.all([
    ensureSlotOrder(readerId, readerIndex, study.designSeed, studyCase, arms.length),
    db().heatmap.findMany({
      where: { imageId: studyCase.imageId, modelRunId: { in: arms.map((a) => a.modelRunId) } },
      select: { modelRunId: true, probability: true, camKey: true },
    }),
  ]);
  const probabilityOfRun = new Map(heatmaps.map((h) => [h.modelRunId, h.probability]));
  const mapFormat =
    heatmaps.length === arms.length && heatmaps.every((h) => h.camKey !== null)
      ? ("cam" as const)
      : ("overlay" as const);
  const tokenOfSlot = new Map(order.blindTokens.map((t) => [t.slot, t.token]));
  const probabilityClass = settings.showProbabilities ? await trueClassName(studyCase.imageId) : null;
  const [total, answered, response] = await Promise.all([
    db().studyCase.count({ where: { studyId } }),
    db().response.count({ where: { readerId, submittedAt: { not: null }, studyCase: { studyId } } }),
    db().response.findUnique({ where: { studyCaseId_readerId: { studyCaseId: studyCase.id, readerId } } }),
  ]);
  const useDraft = !!response?.draftSavedAt && (!response.submittedAt || response.draftSavedAt > response.submittedAt);
  const savedSlot = useDraft ? response.draftSlot : (response?.chosenSlot ?? null);
  return {
    studyId,
    studyTitle: study.title,
    question: study.question,
    instructions: study.instructions,
    status: study.status,
    caseNumber,
    total,
    answered,
    imageUrl: blindUrl(tokenOfSlot.get(null)!),
    mapFormat,
    colourMap: settings.colourMap,
    slots: order.armOrder.map((armIndex, slot) => {
      const p = probabilityOfRun.get(arms[armIndex].modelRunId);
      return {
        letter: slotLetter(slot),
        url: blindUrl(tokenOfSlot.get(slot)!),
        camUrl: mapFormat === "cam" ? blindCamUrl(tokenOfSlot.get(slot)!) : null,
        probabilityPercent: settings.showProbabilities && p !== undefined ? Math.round(p * 100) : null,
      };
    }),
    probabilityClass,
    settings: {
      rationaleRequired: settings.rationaleRequired,
      rationaleMin: settings.rationaleMin,
      rationaleMax: settings.rationaleMax,
      allowRevisit: settings.allowRevisit,
      confidenceEnabled: settings.confidenceEnabled,
      showProbabilities: settings.showProbabilities,
    },
    saved: {
      slot: savedSlot === null || savedSlot === undefined ? null : slotLetter(savedSlot),
      rationale: (useDraft ? response.draftRationale : response?.rationale) ?? "",
      confidence: (useDraft ? response.draftConfidence : response?.confidence) ?? null,
      submitted: !!response?.submittedAt,
      fromDraft: useDraft,
    },
    answer:
      response?.submittedAt && response.chosenSlot !== null
        ? { slot: slotLetter(response.chosenSlot), rationale: response.rationale, confidence: response.confidence }
        : null,
  };
}

/** The reader's first position (1-based, in their own order) without a submitted answer, or null when all are. */
export async function nextOpenCase(readerId: string, studyId: string): Promise<number | null> {
  const { caseOrder } = await readerAccess(readerId, studyId);
  const open = await db().studyCase.findMany({
    where: { studyId, responses: { none: { readerId, submittedAt: { not: null } } } },
    select: { caseIndex: true },
  });
  const openIndex = new Set(open.map((c) => c.caseIndex));
  const position = caseOrder.findIndex((caseIndex) => openIndex.has(caseIndex));
  return position === -1 ? null : position + 1;
}

const slotLetterSchema = text().regex(/^[A-F]$/, "Slot must be a letter from A to F");

export const draftInputSchema = z.object({
  slot: slotLetterSchema.nullable().optional(),
  rationale: text().max(5000, "Rationale is longer than 5000 characters").optional(),
  confidence: z.number().int().min(1).max(5).nullable().optional(),
});

export const answerInputSchema = z.object({
  slot: slotLetterSchema,
  rationale: text().max(5000, "Rationale is longer than 5000 characters"),
  confidence: z.number().int().min(1, "Confidence is 1 to 5").max(5, "Confidence is 1 to 5").nullable().optional(),
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
  const { readerIndex, caseOrder, study } = await readerAccess(readerId, studyId);
  if (study.status !== "OPEN") throw DomainError.conflict("This study is closed; answers can no longer be changed.");
  const studyCase = await studyCaseByNumber(studyId, caseNumber, caseOrder);
  const armCount = await db().studyArm.count({ where: { studyId } });
  return { readerIndex, study, settings: readSettings(study.settings), studyCase, armCount };
}

function rationaleError(rule: string): DomainError {
  return DomainError.invalid(`rationale: ${rule}.`, [{ field: "rationale", message: rule }]);
}

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
  const { studyCase, armCount, settings } = await writableCase(readerId, studyId, caseNumber);
  if (data.rationale !== undefined && data.rationale.length > settings.rationaleMax) {
    throw rationaleError(`at most ${settings.rationaleMax} characters`);
  }
  const draftSlot = data.slot ? slotIndex(data.slot, armCount) : data.slot === null ? null : undefined;
  const draftSavedAt = new Date();
  const fields = { draftSlot, draftRationale: data.rationale, draftConfidence: data.confidence, draftSavedAt };
  await db().response.upsert({
    where: { studyCaseId_readerId: { studyCaseId: studyCase.id, readerId } },
    create: { studyCaseId: studyCase.id, readerId, ...fields },
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
  const { studyCase, armCount, settings, readerIndex, study } = await writableCase(readerId, studyId, caseNumber);
  const slot = slotIndex(data.slot, armCount);
  const rationale = data.rationale.trim();
  if (rationale.length > settings.rationaleMax) throw rationaleError(`at most ${settings.rationaleMax} characters`);
  if (settings.rationaleRequired && rationale.length < Math.max(1, settings.rationaleMin)) {
    throw rationaleError(`at least ${Math.max(1, settings.rationaleMin)} characters`);
  }
  if (!settings.confidenceEnabled && data.confidence != null)
    throw DomainError.invalid("confidence: this study does not ask for confidence.", [
      { field: "confidence", message: "this study does not ask for confidence" },
    ]);
  const order = await ensureSlotOrder(readerId, readerIndex, study.designSeed, studyCase, armCount);
  const arm = await db().studyArm.findUniqueOrThrow({
    where: { studyId_armIndex: { studyId, armIndex: order.armOrder[slot] } },
    select: { id: true },
  });
  const now = new Date();
  const key = { studyCaseId_readerId: { studyCaseId: studyCase.id, readerId } };
  const existing = await db().response.findUnique({ where: key });
  const confidence = data.confidence ?? null;
  const sameAnswerAs = (r: { chosenSlot: number | null; rationale: string; confidence: number | null }) =>
    r.chosenSlot === slot && r.rationale === rationale && r.confidence === confidence;
  const alreadyAnswered = () =>
    DomainError.conflict("This case is already answered and the study does not allow changes.");
  if (existing?.submittedAt && !settings.allowRevisit) {
    // A retried submission of the same answer succeeds; a different one would be a change.
    if (!sameAnswerAs(existing)) throw alreadyAnswered();
  }
  const answer = {
    chosenArmId: arm.id,
    chosenSlot: slot,
    rationale,
    confidence,
    clientTimeMs: existing?.clientTimeMs ?? data.clientTimeMs ?? null,
    // Time from the server first showing the case to the first submission.
    serverTimeMs: existing?.serverTimeMs ?? (order.firstSeenAt ? now.getTime() - order.firstSeenAt.getTime() : null),
    submittedAt: existing?.submittedAt ?? now,
    draftSlot: null,
    draftRationale: null,
    draftConfidence: null,
    draftSavedAt: null,
  };
  if (settings.allowRevisit) {
    // One row per (case, reader): a double click or a retried request updates the same answer.
    await db().response.upsert({
      where: key,
      create: { studyCaseId: studyCase.id, readerId, ...answer },
      update: answer,
    });
  } else if (!existing?.submittedAt) {
    // Without revisiting, the first submission is final: a conditional write (insert, or update of a row that
    // holds no submitted answer yet), so of concurrent different submissions exactly one is stored.
    let written = false;
    if (!existing) {
      try {
        await db().response.create({ data: { studyCaseId: studyCase.id, readerId, ...answer } });
        written = true;
      } catch (e) {
        if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
      }
    }
    if (!written) {
      const updated = await db().response.updateMany({
        where: { studyCaseId: studyCase.id, readerId, submittedAt: null },
        data: answer,
      });
      if (updated.count !== 1) {
        const winner = await db().response.findUniqueOrThrow({ where: key });
        if (!sameAnswerAs(winner)) throw alreadyAnswered();
      }
    }
  }
  await db().invitation.update({ where: { studyId_readerId: { studyId, readerId } }, data: { lastActiveAt: now } });
  const [answered, total, next] = await Promise.all([
    db().response.count({ where: { readerId, submittedAt: { not: null }, studyCase: { studyId } } }),
    db().studyCase.count({ where: { studyId } }),
    nextOpenCase(readerId, studyId),
  ]);
  return { answered, total, nextCase: next };
}

/** What a token's URL asks for: the picture (the original, or the pre-blended overlay of a slot) or a slot's raw map. */
export type BlindPayload = "picture" | "cam";

/** Storage key behind a reader's token, or null: another reader's token looks exactly like a missing one. */
export async function resolveBlindToken(
  readerId: string,
  token: string,
  studyId: string,
  payload: BlindPayload = "picture",
): Promise<{ key: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  // One round trip (this is the most frequent request of a survey: five per case): the token, its
  // reader's invitation, and the picture behind the slot (the original's display copy, or its model-size copy
  // when it has none, for slot null; else the heat-map of the arm that this reader's slot order puts there;
  // Postgres arrays are 1-based).
  const rows = await db().$queryRaw<
    {
      readerId: string;
      slot: number | null;
      invitationStatus: string | null;
      imageKey: string;
      overlayKey: string | null;
      camKey: string | null;
    }[]
  >`
    select t."readerId", t.slot, inv.status::text as "invitationStatus",
           coalesce(i."displayKey", i."fileKey") as "imageKey", h."overlayKey", h."camKey"
      from "BlindToken" t
      join "SlotOrder" so on so.id = t."slotOrderId"
      join "StudyCase" c on c.id = so."studyCaseId"
      join "Image" i on i.id = c."imageId"
      left join "Invitation" inv on inv."studyId" = c."studyId" and inv."readerId" = t."readerId"
      left join "StudyArm" a on t.slot is not null and a."studyId" = c."studyId" and a."armIndex" = so."armOrder"[t.slot + 1]
      left join "Heatmap" h on h."modelRunId" = a."modelRunId" and h."imageId" = c."imageId"
     where t.token = ${token} and c."studyId" = ${studyId}`;
  const row = rows[0];
  if (!row || row.readerId !== readerId) return null;
  if (!row.invitationStatus || row.invitationStatus === "REVOKED") return null;
  if (payload === "cam") return row.slot !== null && row.camKey ? { key: row.camKey } : null;
  if (row.slot === null) return { key: row.imageKey };
  return row.overlayKey ? { key: row.overlayKey } : null;
}
