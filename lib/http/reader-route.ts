// Shared shape of the reader's write endpoints: specialist only, case number from the URL.
import { requireApiRole, HttpError } from "../auth/session";

export async function readerRouteContext(params: Promise<{ studyId: string; n: string }>) {
  const user = await requireApiRole("SPECIALIST");
  const { studyId, n } = await params;
  const caseNumber = Number(n);
  if (!/^\d{1,6}$/.test(n) || !/^[a-z0-9]{10,40}$/.test(studyId)) throw new HttpError(404, "No such case in this study.");
  return { readerId: user.id, studyId, caseNumber };
}

export const NO_STORE = { "Cache-Control": "private, no-store" };
