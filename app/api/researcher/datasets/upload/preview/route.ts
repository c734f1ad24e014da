// The label tables of a zip before it is imported, for the console's column picker: the body is the zip itself, as
// for the upload; it is checked and deleted again, and nothing is stored (lib/datasets/zip-upload.ts).
import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { defaultZipLimits, previewZipLabelTables } from "@/lib/datasets/zip-upload";
import { handle } from "@/lib/http/handler";
import { zipRequestBody } from "@/lib/http/zip-request";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return handle(async () => {
    await requireApiRole("RESEARCHER", "ADMIN");
    const limits = defaultZipLimits();
    const preview = await previewZipLabelTables(zipRequestBody(req, limits.maxUploadBytes), limits);
    return NextResponse.json(preview);
  });
}
