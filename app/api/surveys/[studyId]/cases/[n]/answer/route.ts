import { NextResponse } from "next/server";
import { handle, parseJson } from "@/lib/http/handler";
import { readerRouteContext, NO_STORE } from "@/lib/http/reader-route";
import { answerInputSchema, submitAnswer } from "@/lib/studies/reader-survey";

export const dynamic = "force-dynamic";

export function POST(req: Request, { params }: { params: Promise<{ studyId: string; n: string }> }) {
  return handle(async () => {
    const { readerId, studyId, caseNumber } = await readerRouteContext(params);
    const input = await parseJson(req, answerInputSchema, "surveyAnswer");
    return NextResponse.json(await submitAnswer(readerId, studyId, caseNumber, input), { headers: NO_STORE });
  });
}
