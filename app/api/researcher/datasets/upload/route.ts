// Zip upload of a dataset. The body is the zip itself (not multipart), streamed to a temporary file in the
// storage folder by lib/datasets/zip-upload.ts; the dataset's name, positive class, modality and stored size
// come in the query string.
import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { defaultZipLimits, importZipDataset } from "@/lib/datasets/zip-upload";
import { parseInput } from "@/lib/errors/field-errors";
import { handle } from "@/lib/http/handler";
import { zipRequestBody } from "@/lib/http/zip-request";
import { zipUploadQuerySchema } from "@/lib/datasets/dataset-forms";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return handle(async () => {
    const user = await requireApiRole("RESEARCHER", "ADMIN");
    const q = parseInput(zipUploadQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
    const limits = defaultZipLimits();
    const body = zipRequestBody(req, limits.maxUploadBytes);
    // The audit event is written in the transaction that creates the dataset.
    const result = await importZipDataset(body, { ...q, createdById: user.id }, limits, { actorId: user.id });
    return NextResponse.json(
      {
        datasetId: result.dataset.id,
        name: result.dataset.name,
        skipped: result.skipped,
        warnings: result.warnings,
        classes: result.classes,
      },
      { status: 201 },
    );
  });
}
