// One reader's answers as the study's coordinator reads them (read-only): every case in that reader's own order, then
// the repeated cases, with the slot letter the reader saw, the arm behind it (or the "none" / "cannot decide" answer
// given instead of a map), the rationale and confidence, time and flags. It names
// the arms, so only the coordinator's page calls it (after manageableStudy). Drafts are shown as such, never their
// text: a draft is not an answer.
import { db } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { slotLetter } from "../blinding/slot-design";
import { studyArms } from "../export/answers-export";
import { readerStatus } from "../export/study-exports";
import { OPTION_ANSWERS } from "../export/answers-export";
import { effectiveCaseOrder, effectiveRepeatCases, readingOrder } from "./case-order";
import { readSettings } from "./study-settings";

export interface CoordinatorAnswerRow {
  position: number;
  caseNumber: number;
  imageId: string;
  originalName: string;
  label: string;
  /** The second reading of a repeated case (the reader was not told). */
  repeat: boolean;
  status: "answered" | "draft" | "not-started";
  slot: string | null;
  arm: string | null;
  /** "none" or "cannot_decide" when the reader answered that instead of choosing a map. */
  option: "none" | "cannot_decide" | null;
  rationale: string | null;
  confidence: number | null;
  serverTimeMs: number | null;
  submittedAt: Date | null;
  flagged: boolean;
}

export interface CoordinatorReaderView {
  invitationId: string;
  name: string;
  email: string;
  pseudonym: string;
  specialty: string;
  /** pending, accepted, revoked or excluded. */
  status: string;
  rows: CoordinatorAnswerRow[];
}

export async function readerAnswersForCoordinator(
  studyId: string,
  invitationId: string,
): Promise<CoordinatorReaderView> {
  const inv = await db().invitation.findUnique({
    where: { id: invitationId },
    select: {
      studyId: true,
      readerId: true,
      readerName: true,
      specialty: true,
      status: true,
      excludedAt: true,
      caseOrder: true,
      repeatOrder: true,
      readerIndex: true,
      reader: { select: { email: true, pseudonym: true } },
      study: { select: { settings: true, designSeed: true, dataset: { select: { classNames: true } } } },
    },
  });
  if (!inv || inv.studyId !== studyId) throw DomainError.notFound("No such reader in this study.");
  const [cases, responses, arms] = await Promise.all([
    db().studyCase.findMany({
      where: { studyId },
      orderBy: { caseIndex: "asc" },
      select: { id: true, caseIndex: true, imageId: true, image: { select: { originalName: true, label: true } } },
    }),
    db().response.findMany({ where: { readerId: inv.readerId, studyCase: { studyId } } }),
    studyArms(studyId),
  ]);
  const labelOfArm = new Map(arms.map((a) => [a.armId, a.label]));
  const responseOf = new Map(responses.map((r) => [`${r.studyCaseId}|${r.repeat}`, r]));
  const settings = readSettings(inv.study.settings);
  const order = readingOrder(
    effectiveCaseOrder(inv.caseOrder, cases.length, settings.caseOrder),
    effectiveRepeatCases(inv.repeatOrder, cases.length, settings.repeatedCases, {
      designSeed: inv.study.designSeed,
      readerIndex: inv.readerIndex,
    }),
  );
  const caseOfIndex = new Map(cases.map((c) => [c.caseIndex, c]));
  return {
    invitationId,
    name: inv.readerName,
    email: inv.reader.email,
    pseudonym: inv.reader.pseudonym,
    specialty: inv.specialty.toLowerCase(),
    status: readerStatus(inv),
    rows: order.map(({ caseIndex, repeat }, p) => {
      const c = caseOfIndex.get(caseIndex)!;
      const r = responseOf.get(`${c.id}|${repeat}`);
      // Submitted is answered, whether with a map, with "none" or "cannot decide", or (optional question) with neither.
      const answered = !!r?.submittedAt;
      return {
        position: p + 1,
        caseNumber: caseIndex + 1,
        repeat: repeat !== 0,
        imageId: c.imageId,
        originalName: c.image.originalName,
        label: inv.study.dataset.classNames[c.image.label] ?? String(c.image.label),
        status: answered ? "answered" : r?.draftSavedAt ? "draft" : "not-started",
        slot: answered && r.chosenSlot !== null ? slotLetter(r.chosenSlot) : null,
        arm: answered && r.chosenArmId ? (labelOfArm.get(r.chosenArmId) ?? null) : null,
        option: answered && r.chosenOption ? OPTION_ANSWERS[r.chosenOption] : null,
        rationale: answered ? r.rationale : null,
        confidence: answered ? r.confidence : null,
        serverTimeMs: answered ? r.serverTimeMs : null,
        submittedAt: answered ? r.submittedAt : null,
        flagged: !!r?.flaggedAt,
      };
    }),
  };
}
