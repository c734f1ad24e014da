// "My answers": the reader's own view of every case of a study. Like reader-survey.ts it speaks of slot letters
// and opaque per-reader tokens only; the thumbnail is the original's token, the same for every arm.
import { db } from "../db/client";
import { slotLetter } from "../blinding/slot-design";
import { readSettings } from "./study-settings";
import { blindUrl, readerAccess, writableCase } from "./reader-survey";

export type CaseStatus = "answered" | "changed" | "draft" | "not-started";

export interface ReviewRow {
  caseNumber: number;
  status: CaseStatus;
  /** Letter of the submitted answer's slot, or of the draft's when nothing is submitted. */
  letter: string | null;
  /** "none" or "cannot_decide" when that was the answer (or draft) instead of a map. */
  option: "none" | "cannot_decide" | null;
  flagged: boolean;
  /** The original image, for a case the reader has opened (a token exists only once the case was shown). */
  thumbnailUrl: string | null;
}

export interface ReviewView {
  studyId: string;
  title: string;
  status: "OPEN" | "CLOSED";
  allowRevisit: boolean;
  rows: ReviewRow[];
}

export async function readerReview(readerId: string, studyId: string): Promise<ReviewView> {
  const { study, readings } = await readerAccess(readerId, studyId);
  const cases = await db().studyCase.findMany({
    where: { studyId },
    orderBy: { caseIndex: "asc" },
    select: {
      caseIndex: true,
      responses: { where: { readerId } },
      slotOrders: {
        where: { readerId },
        select: { repeat: true, blindTokens: { where: { slot: null }, select: { token: true } } },
      },
    },
  });
  const caseOfIndex = new Map(cases.map((c) => [c.caseIndex, c]));
  // Listed in the reader's own order, numbered as the case pages number them; a repeated case is one more row, like
  // any other case (its thumbnail is its own reading's token).
  return {
    studyId,
    title: study.title,
    status: study.status,
    allowRevisit: readSettings(study.settings).allowRevisit,
    rows: readings.map((reading, position) => {
      const c = caseOfIndex.get(reading.caseIndex);
      const r = c?.responses.find((x) => x.repeat === reading.repeat);
      const draftNewer = !!r?.draftSavedAt && (!r.submittedAt || r.draftSavedAt > r.submittedAt);
      const status: CaseStatus = r?.submittedAt
        ? draftNewer
          ? "changed"
          : "answered"
        : draftNewer
          ? "draft"
          : "not-started";
      const slot = r?.submittedAt ? r.chosenSlot : (r?.draftSlot ?? null);
      const option = r?.submittedAt ? r.chosenOption : (r?.draftOption ?? null);
      const token = c?.slotOrders.find((o) => o.repeat === reading.repeat)?.blindTokens[0]?.token;
      return {
        caseNumber: position + 1,
        status,
        letter: slot === null || slot === undefined ? null : slotLetter(slot),
        option: option === "NONE" ? "none" : option === "CANNOT_DECIDE" ? "cannot_decide" : null,
        flagged: !!r?.flaggedAt,
        thumbnailUrl: token ? blindUrl(token) : null,
      };
    }),
  };
}

/** Flags or unflags a case for the reader; allowed while the study is open. */
export async function setCaseFlag(
  readerId: string,
  studyId: string,
  caseNumber: number,
  flagged: boolean,
): Promise<void> {
  const { studyCase } = await writableCase(readerId, studyId, caseNumber);
  const flaggedAt = flagged ? new Date() : null;
  const { repeat } = studyCase;
  await db().response.upsert({
    where: { studyCaseId_readerId_repeat: { studyCaseId: studyCase.id, readerId, repeat } },
    create: { studyCaseId: studyCase.id, readerId, repeat, flaggedAt },
    update: { flaggedAt },
  });
}
