import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/db/health";
import { envVar } from "@/lib/config/env";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  // Which of `npm start`'s web processes answered (null under a single `next start`): lets an operator or a
  // test see that each of them serves.
  const body = { ...health, process: envVar("FOCUS_WEB_PROCESS") ?? null };
  return NextResponse.json(body, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
