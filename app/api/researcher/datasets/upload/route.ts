// Zip upload of a dataset. The body is the zip itself (not multipart), streamed to a temporary file in the
// storage folder by lib/datasets/zip-upload.ts; the dataset's name, positive class, modality and stored size
// come in the query string.
import { NextResponse } from "next/server";
import { requireApiRole } from "@/lib/auth/session";
import { DatasetExistsError } from "@/lib/datasets/persist-dataset";
import { EmptyClassError } from "@/lib/datasets/import-folder";
import { defaultZipLimits, importZipDataset, ZipRefusedError } from "@/lib/datasets/zip-upload";
import { handle } from "@/lib/http/handler";
import { HttpError } from "@/lib/http/http-error";
import { FolderLayoutError } from "@/lib/ml/data/folder-import";
import { zipUploadQuerySchema } from "@/lib/researcher/console-inputs";
import { recordAudit } from "@/lib/audit/audit";

export const dynamic = "force-dynamic";

const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/octet-stream"]);

export function POST(req: Request) {
  return handle(async () => {
    const user = await requireApiRole("RESEARCHER", "ADMIN");
    const q = zipUploadQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    // A cross-site HTML form can only send form or text types; a zip body must say it is one.
    const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!ZIP_TYPES.has(type)) throw new HttpError(415, `Send the zip itself as the body with Content-Type application/zip (got "${type || "none"}").`);
    const limits = defaultZipLimits();
    const declared = Number(req.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxUploadBytes) {
      throw new HttpError(413, `The upload is larger than the limit of ${Math.round(limits.maxUploadBytes / 1048576)} MB (FOCUS_MAX_UPLOAD_MB).`);
    }
    if (!req.body) throw new HttpError(400, "The upload is empty: choose a .zip file.");
    try {
      const result = await importZipDataset(req.body, { ...q, createdById: user.id }, limits);
      await recordAudit(user.id, "dataset.upload", result.dataset.id, { name: result.dataset.name, fileName: q.fileName ?? "upload.zip", bytes: result.uploadBytes });
      return NextResponse.json(
        { datasetId: result.dataset.id, name: result.dataset.name, skipped: result.skipped, warnings: result.warnings, classes: result.classes },
        { status: 201 },
      );
    } catch (e) {
      if (e instanceof ZipRefusedError) throw new HttpError(e.status, e.message);
      if (e instanceof FolderLayoutError || e instanceof EmptyClassError) throw new HttpError(400, e.message);
      if (e instanceof DatasetExistsError) throw new HttpError(409, e.message);
      throw e;
    }
  });
}
