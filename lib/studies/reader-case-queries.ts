// The reader's hot path in SQL: every case page, autosave, submission and blind image of a survey goes
// through here, up to 200 readers at once. Each function is one round trip and skips Prisma's query
// planning, which cost more CPU per request than the SQL itself (docs/benchmarks.md, "Case page CPU").
// reader-survey.ts owns the rules (access, blinding, drafts); this file only fetches and inserts rows.
// When a column these rows name changes in prisma/schema.prisma, change the SQL here too (the integration
// tests in reader-survey.test.ts read every field back).
import { randomUUID } from "node:crypto";
import { db, Prisma } from "../db/client";
import type { Role } from "../db/generated/enums";
import { newOpaqueToken } from "../blinding/opaque-id";
import { readSettings, type StudySettings } from "./study-settings";

export interface AccessRow {
  readerIndex: number;
  invitationStatus: string;
  caseOrder: number[];
  /** The seeded permutation whose first k entries are the reader's repeated cases (case-order.ts). */
  repeatOrder: number[];
  study: {
    id: string;
    title: string;
    question: string;
    instructions: string;
    status: "DRAFT" | "OPEN" | "CLOSED";
    settings: unknown;
    /** The study's questions as stored (lib/studies/study-questions.ts reads them). */
    questions: unknown;
    designSeed: string;
  };
  settings: StudySettings;
  caseCount: number;
  /** Per arm, in arm order: the arm's id and its model run (never sent to a reader). */
  arms: { id: string; modelRunId: string }[];
}

// The same stored settings parse to the same value: kept per process by their JSON text, so a study's
// settings are validated once rather than on every request, and a changed setting is a new key.
const parsedSettings = new Map<string, StudySettings>();
function settingsOf(json: string): StudySettings {
  let s = parsedSettings.get(json);
  if (!s) {
    s = readSettings(JSON.parse(json));
    if (parsedSettings.size >= 500) parsedSettings.clear();
    parsedSettings.set(json, s);
  }
  return s;
}

/** The reader's invitation to the study with the study, its case count and arms; null when not invited. */
export async function accessRow(readerId: string, studyId: string): Promise<AccessRow | null> {
  const rows = await db().$queryRaw<
    {
      readerIndex: number;
      invitationStatus: string;
      caseOrder: number[];
      repeatOrder: number[];
      id: string;
      title: string;
      question: string;
      instructions: string;
      status: "DRAFT" | "OPEN" | "CLOSED";
      settings: string | null;
      questions: unknown;
      designSeed: string;
      caseCount: number;
      armIds: string[];
      armRunIds: string[];
    }[]
  >`
    select inv."readerIndex", inv.status::text as "invitationStatus", inv."caseOrder", inv."repeatOrder",
           s.id, s.title, s.question, s.instructions, s.status::text as status, s.settings::text as settings,
           s.questions, s."designSeed",
           (select count(*)::int from "StudyCase" c where c."studyId" = s.id) as "caseCount",
           array(select a.id from "StudyArm" a where a."studyId" = s.id order by a."armIndex") as "armIds",
           array(select a."modelRunId" from "StudyArm" a where a."studyId" = s.id order by a."armIndex") as "armRunIds"
      from "Invitation" inv
      join "Study" s on s.id = inv."studyId"
     where inv."studyId" = ${studyId} and inv."readerId" = ${readerId}`;
  const r = rows[0];
  if (!r) return null;
  const settingsJson = r.settings ?? "{}";
  return {
    readerIndex: r.readerIndex,
    invitationStatus: r.invitationStatus,
    caseOrder: r.caseOrder,
    repeatOrder: r.repeatOrder,
    study: {
      id: r.id,
      title: r.title,
      question: r.question,
      instructions: r.instructions,
      status: r.status,
      settings: JSON.parse(settingsJson) as unknown,
      questions: r.questions,
      designSeed: r.designSeed,
    },
    settings: settingsOf(settingsJson),
    caseCount: r.caseCount,
    arms: r.armIds.map((id, i) => ({ id, modelRunId: r.armRunIds[i] })),
  };
}

export interface StudyCaseRow {
  id: string;
  caseIndex: number;
  imageId: string;
}

export async function studyCaseRow(studyId: string, caseIndex: number): Promise<StudyCaseRow | null> {
  const rows = await db().$queryRaw<StudyCaseRow[]>`
    select id, "caseIndex", "imageId" from "StudyCase" where "studyId" = ${studyId} and "caseIndex" = ${caseIndex}`;
  return rows[0] ?? null;
}

export interface SlotOrderRow {
  id: string;
  armOrder: number[];
  firstSeenAt: Date | null;
  tokens: { slot: number | null; token: string }[];
}

export interface ResponseRow {
  chosenSlot: number | null;
  chosenOption: "NONE" | "CANNOT_DECIDE" | null;
  answers: unknown;
  rationale: string;
  confidence: number | null;
  draftSlot: number | null;
  draftRationale: string | null;
  draftConfidence: number | null;
  draftSavedAt: Date | null;
  draftOption: "NONE" | "CANNOT_DECIDE" | null;
  draftAnswers: unknown;
  submittedAt: Date | null;
}

export interface CaseRow extends StudyCaseRow {
  /** The image's true class name (the class each heat-map's probability is for). */
  className: string;
  slotOrder: SlotOrderRow | null;
  /** modelRunId -> probability, for the study's arms. */
  probabilities: Record<string, number>;
  /** Heat-maps of the arms' runs for this image, and how many of them have a raw class-activation map. */
  heatmaps: number;
  rawMaps: number;
  response: ResponseRow | null;
  /** Readings (first and repeated) of the study this reader has submitted. */
  answered: number;
}

/**
 * Everything a case page shows about one reading of a case (repeat 0: the first, 1: the repeated one) for one
 * reader, in one round trip; null for no such case.
 */
export async function caseRow(
  readerId: string,
  studyId: string,
  caseIndex: number,
  repeat: number,
  armRunIds: string[],
): Promise<CaseRow | null> {
  const rows = await db().$queryRaw<
    (StudyCaseRow & {
      label: number;
      classNames: string[];
      slotOrderId: string | null;
      armOrder: number[] | null;
      firstSeenAt: Date | null;
      tokens: { slot: number | null; token: string }[] | null;
      probabilities: Record<string, number> | null;
      heatmaps: number;
      rawMaps: number;
      responseId: string | null;
      answered: number;
    } & ResponseRow)[]
  >`
    select c.id, c."caseIndex", c."imageId", i.label, d."classNames",
           so.id as "slotOrderId", so."armOrder", so."firstSeenAt",
           (select json_agg(json_build_object('slot', t.slot, 'token', t.token))
              from "BlindToken" t where t."slotOrderId" = so.id) as tokens,
           (select json_object_agg(h."modelRunId", h.probability)
              from "Heatmap" h where h."imageId" = c."imageId" and h."modelRunId" = any(${armRunIds}::text[])) as probabilities,
           (select count(*)::int from "Heatmap" h
             where h."imageId" = c."imageId" and h."modelRunId" = any(${armRunIds}::text[])) as heatmaps,
           (select count(*)::int from "Heatmap" h
             where h."imageId" = c."imageId" and h."modelRunId" = any(${armRunIds}::text[]) and h."camKey" is not null)
             as "rawMaps",
           r.id as "responseId", r."chosenSlot", r.rationale, r.confidence, r."draftSlot", r."draftRationale",
           r."draftConfidence", r."draftSavedAt", r."submittedAt", r."chosenOption"::text as "chosenOption",
           r."draftOption"::text as "draftOption", r.answers, r."draftAnswers",
           (select count(*)::int from "Response" rr join "StudyCase" cc on cc.id = rr."studyCaseId"
             where rr."readerId" = ${readerId} and cc."studyId" = ${studyId} and rr."submittedAt" is not null) as answered
      from "StudyCase" c
      join "Image" i on i.id = c."imageId"
      join "Dataset" d on d.id = i."datasetId"
      left join "SlotOrder" so on so."studyCaseId" = c.id and so."readerId" = ${readerId} and so."repeat" = ${repeat}
      left join "Response" r on r."studyCaseId" = c.id and r."readerId" = ${readerId} and r."repeat" = ${repeat}
     where c."studyId" = ${studyId} and c."caseIndex" = ${caseIndex}`;
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    caseIndex: r.caseIndex,
    imageId: r.imageId,
    className: r.classNames[r.label] ?? `class ${r.label}`,
    slotOrder:
      r.slotOrderId && r.armOrder
        ? { id: r.slotOrderId, armOrder: r.armOrder, firstSeenAt: r.firstSeenAt, tokens: r.tokens ?? [] }
        : null,
    probabilities: r.probabilities ?? {},
    heatmaps: r.heatmaps,
    rawMaps: r.rawMaps,
    response: r.responseId
      ? {
          chosenSlot: r.chosenSlot,
          rationale: r.rationale,
          confidence: r.confidence,
          draftSlot: r.draftSlot,
          draftRationale: r.draftRationale,
          draftConfidence: r.draftConfidence,
          draftSavedAt: r.draftSavedAt,
          draftOption: r.draftOption,
          draftAnswers: r.draftAnswers,
          chosenOption: r.chosenOption,
          answers: r.answers,
          submittedAt: r.submittedAt,
        }
      : null,
    answered: r.answered,
  };
}

export async function slotOrderRow(
  readerId: string,
  studyCaseId: string,
  repeat: number,
): Promise<SlotOrderRow | null> {
  const rows = await db().$queryRaw<(Omit<SlotOrderRow, "tokens"> & { tokens: SlotOrderRow["tokens"] | null })[]>`
    select so.id, so."armOrder", so."firstSeenAt",
           (select json_agg(json_build_object('slot', t.slot, 'token', t.token))
              from "BlindToken" t where t."slotOrderId" = so.id) as tokens
      from "SlotOrder" so
     where so."readerId" = ${readerId} and so."studyCaseId" = ${studyCaseId} and so."repeat" = ${repeat}`;
  const r = rows[0];
  return r ? { ...r, tokens: r.tokens ?? [] } : null;
}

/**
 * The reader's slot order and its tokens (the original's, slot null, and one per slot) for one reading, in one
 * statement. A repeated reading gets fresh tokens: nothing links its URLs to the first reading's. Concurrent first
 * views race on the (reader, case, repeat) key: the loser inserts nothing and reads the winner's.
 */
export async function insertSlotOrder(
  readerId: string,
  studyCaseId: string,
  repeat: number,
  armOrder: number[],
  firstSeenAt: Date,
): Promise<SlotOrderRow> {
  const id = randomUUID();
  const slots = [null, ...armOrder.map((_, slot) => slot)];
  const tokens = slots.map(() => newOpaqueToken());
  const inserted = await db().$queryRaw<{ slot: number | null; token: string }[]>`
    with so as (
      insert into "SlotOrder" (id, "readerId", "studyCaseId", "repeat", "armOrder", "firstSeenAt")
      values (${id}, ${readerId}, ${studyCaseId}, ${repeat}::int, ${armOrder}::int[], ${firstSeenAt})
      on conflict ("readerId", "studyCaseId", "repeat") do nothing
      returning id)
    insert into "BlindToken" (token, "slotOrderId", "readerId", slot)
    select t.token, so.id, ${readerId}, t.slot from so, unnest(${tokens}::text[], ${slots}::int[]) as t(token, slot)
    returning slot, token`;
  if (inserted.length > 0) return { id, armOrder, firstSeenAt, tokens: inserted };
  const winner = await slotOrderRow(readerId, studyCaseId, repeat);
  if (!winner) throw new Error("slot order neither inserted nor found");
  return winner;
}

/** What lib/auth's session check reads of a user and of the session's invitation (null when not the user's). */
export interface SessionUserColumns {
  id: string;
  email: string;
  name: string;
  role: Role;
  pseudonym: string;
  active: boolean;
  sessionVersion: number;
  invitationId: string | null;
  studyId: string | null;
  invitationStatus: string | null;
  readerName: string | null;
  invitationSessionVersion: number | null;
}

// The columns of SessionUserColumns, from "User" u left-joined with "Invitation" inv.
const SESSION_USER_COLUMNS = Prisma.sql`u.id, u.email, u.name, u.role::text as role, u.pseudonym, u.active,
  u."sessionVersion", inv.id as "invitationId", inv."studyId", inv.status::text as "invitationStatus",
  inv."readerName", inv."sessionVersion" as "invitationSessionVersion"`;

/** A user and, when it is theirs, the invitation a session names (every request's session check). */
export async function sessionUserRow(userId: string, invitationId: string | null): Promise<SessionUserColumns | null> {
  const rows = await db().$queryRaw<SessionUserColumns[]>`
    select ${SESSION_USER_COLUMNS}
      from "User" u
      left join "Invitation" inv on inv.id = ${invitationId ?? ""} and inv."readerId" = u.id
     where u.id = ${userId}`;
  return rows[0] ?? null;
}

/** The files a blind token names (null fields when the token is not this reader's or not of this study). */
export interface BlindFileRow {
  slot: number | null;
  imageKey: string | null;
  overlayKey: string | null;
  camKey: string | null;
}

/**
 * The reader's user row and session invitation (the columns lib/auth's session check reads), with the files
 * behind one of the reader's blind tokens in that invitation's study, in one round trip: the blind image is
 * the most frequent request of a survey (five per case). `file` is null when no such token is this reader's
 * in that study. Postgres arrays are 1-based, hence `+ 1`.
 */
export async function sessionBlindFileRow(
  readerId: string,
  invitationId: string,
  token: string,
): Promise<{ user: SessionUserColumns; file: BlindFileRow | null } | null> {
  const rows = await db().$queryRaw<(SessionUserColumns & BlindFileRow & { tokenFound: boolean })[]>`
    select ${SESSION_USER_COLUMNS},
           c.id is not null as "tokenFound", t.slot, coalesce(i."displayKey", i."fileKey") as "imageKey",
           h."overlayKey", h."camKey"
      from "User" u
      left join "Invitation" inv on inv.id = ${invitationId} and inv."readerId" = u.id
      left join "BlindToken" t on t.token = ${token} and t."readerId" = u.id
      left join "SlotOrder" so on so.id = t."slotOrderId"
      left join "StudyCase" c on c.id = so."studyCaseId" and c."studyId" = inv."studyId"
      left join "Image" i on i.id = c."imageId"
      left join "StudyArm" a
             on t.slot is not null and a."studyId" = c."studyId" and a."armIndex" = so."armOrder"[t.slot + 1]
      left join "Heatmap" h on h."modelRunId" = a."modelRunId" and h."imageId" = c."imageId"
     where u.id = ${readerId}`;
  const r = rows[0];
  if (!r) return null;
  const { tokenFound, slot, imageKey, overlayKey, camKey, ...user } = r;
  return { user, file: tokenFound ? { slot, imageKey, overlayKey, camKey } : null };
}
