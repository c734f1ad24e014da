import { NextResponse } from "next/server";
import { handle, parseJson } from "@/lib/http/handler";
import { readerRouteContext, NO_STORE } from "@/lib/http/reader-route";
import { draftInputSchema, saveDraft } from "@/lib/studies/reader-survey";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ studyId: string; n: string }> };

// PUT from the debounced autosave; POST from navigator.sendBeacon when the page is left.
async function save(req: Request, { params }: Ctx) {
  return handle(async () => {
    const { readerId, studyId, caseNumber } = await readerRouteContext(params);
    const input = await parseJson(req, draftInputSchema, "surveyDraft");
    return NextResponse.json(await saveDraft(readerId, studyId, caseNumber, input), { headers: NO_STORE });
  });
}

export { save as PUT, save as POST };
