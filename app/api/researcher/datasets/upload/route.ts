// Zip upload of a dataset. The body is the zip itself (not multipart), streamed to a temporary file in the
// storage folder by lib/datasets/zip-upload.ts; the dataset's name, positive class, modality and stored size
// come in the query string.
import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { defaultZipLimits, importZipDataset } from "@/lib/datasets/zip-upload";
import { DomainError } from "@/lib/errors/domain-error";
import { parseInput } from "@/lib/errors/field-errors";
import { handle } from "@/lib/http/handler";
import { zipUploadQuerySchema } from "@/lib/datasets/dataset-forms";

export const dynamic = "force-dynamic";

const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/octet-stream"]);

export function POST(req: Request) {
  return handle(async () => {
    const user = await requireApiRole("RESEARCHER", "ADMIN");
    const q = parseInput(zipUploadQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
    // A cross-site HTML form can only send form or text types; a zip body must say it is one.
    const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!ZIP_TYPES.has(type))
      throw new DomainError(
        "unsupported",
        `Send the zip itself as the body with Content-Type application/zip (got "${type || "none"}").`,
      );
    const limits = defaultZipLimits();
    const declared = Number(req.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxUploadBytes) {
      throw new DomainError(
        "too-large",
        `The upload is larger than the limit of ${Math.round(limits.maxUploadBytes / 1048576)} MB (FOCUS_MAX_UPLOAD_MB).`,
      );
    }
    if (!req.body) throw DomainError.invalid("The upload is empty: choose a .zip file.");
    // The audit event is written in the transaction that creates the dataset.
    const result = await importZipDataset(req.body, { ...q, createdById: user.id }, limits, { actorId: user.id });
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
