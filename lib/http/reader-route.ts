// Shared shape of the reader's write endpoints: specialist only, case number from the URL, and only the study
// the session's invitation grants (any other study answers like one that does not exist).
import { requireApiRole, sessionGrantsStudy } from "../auth/session";
import { DomainError } from "../errors/domain-error";

export async function readerRouteContext(params: Promise<{ studyId: string; n: string }>) {
  const user = await requireApiRole("SPECIALIST");
  const { studyId, n } = await params;
  const caseNumber = Number(n);
  if (!/^\d{1,6}$/.test(n) || !/^[a-z0-9]{10,40}$/.test(studyId))
    throw DomainError.notFound("No such case in this study.");
  if (!sessionGrantsStudy(user, studyId)) throw DomainError.notFound("No such study.");
  return { readerId: user.id, studyId, caseNumber };
}

export const NO_STORE = { "Cache-Control": "private, no-store" };
