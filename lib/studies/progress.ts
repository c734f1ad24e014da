// How far each invited reader has got: answered cases, last activity and the median server-measured time
// per case (the median, not the mean, because a reader who leaves a case open over lunch would dominate a mean).
import { db } from "../db/client";
import { readingCount } from "./case-order";
import { readSettings } from "./study-settings";

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The latest of several optional moments. */
export function latest(...dates: (Date | null | undefined)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

export interface ReaderProgress {
  invitationId: string;
  readerId: string;
  name: string;
  email: string;
  pseudonym: string;
  specialty: string | null;
  status: "PENDING" | "ACCEPTED" | "REVOKED";
  /** Left out of the statistics by the coordinator (answers kept, access unchanged). */
  excluded: boolean;
  /** Whether the link has been opened (an unused link can still be re-issued without losing anything). */
  linkUsed: boolean;
  expiresAt: Date;
  invitedAt: Date;
  answered: number;
  total: number;
  lastActiveAt: Date | null;
  medianServerTimeMs: number | null;
}

export interface StudyProgress {
  total: number;
  readers: ReaderProgress[];
  /** Submitted answers over (active readers × readings: the cases and the repeated ones). */
  completion: number | null;
}

export async function studyProgress(studyId: string): Promise<StudyProgress> {
  const [caseCount, study, invitations, responses] = await Promise.all([
    db().studyCase.count({ where: { studyId } }),
    db().study.findUniqueOrThrow({ where: { id: studyId }, select: { settings: true } }),
    db().invitation.findMany({
      where: { studyId },
      orderBy: { readerIndex: "asc" },
      select: {
        id: true,
        readerId: true,
        status: true,
        usedAt: true,
        expiresAt: true,
        createdAt: true,
        lastActiveAt: true,
        excludedAt: true,
        readerName: true,
        specialty: true,
        // The shared account contributes only what the coordinator typed anyway (the email) and the pseudonym.
        reader: { select: { email: true, pseudonym: true } },
      },
    }),
    db().response.findMany({
      where: { studyCase: { studyId } },
      select: { readerId: true, submittedAt: true, serverTimeMs: true, updatedAt: true, draftSavedAt: true },
    }),
  ]);
  // Every reading counts, repeated cases included: a reader has finished after the last repeat.
  const total = readingCount(caseCount, readSettings(study.settings));
  const byReader = new Map<string, typeof responses>();
  for (const r of responses) {
    let list = byReader.get(r.readerId);
    if (!list) byReader.set(r.readerId, (list = []));
    list.push(r);
  }
  const readers = invitations.map((inv): ReaderProgress => {
    const mine = byReader.get(inv.readerId) ?? [];
    const submitted = mine.filter((r) => r.submittedAt !== null);
    return {
      invitationId: inv.id,
      readerId: inv.readerId,
      name: inv.readerName,
      email: inv.reader.email,
      pseudonym: inv.reader.pseudonym,
      specialty: inv.specialty,
      status: inv.status,
      excluded: inv.excludedAt !== null,
      linkUsed: inv.usedAt !== null,
      expiresAt: inv.expiresAt,
      invitedAt: inv.createdAt,
      answered: submitted.length,
      total,
      // Drafts count as activity: a reader typing a long rationale is active although nothing is submitted.
      lastActiveAt: latest(inv.lastActiveAt, inv.usedAt, ...mine.map((r) => r.updatedAt)),
      medianServerTimeMs: median(submitted.map((r) => r.serverTimeMs).filter((t): t is number => t !== null)),
    };
  });
  const active = readers.filter((r) => r.status !== "REVOKED");
  const answered = active.reduce((s, r) => s + r.answered, 0);
  return { total, readers, completion: active.length === 0 || total === 0 ? null : answered / (active.length * total) };
}
