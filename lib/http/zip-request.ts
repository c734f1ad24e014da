// The checks every zip-upload route makes before it reads a byte of the body: a zip content type (a cross-site HTML
// form can only send form or text types, so this also keeps such forms out) and a declared length within the
// upload limit. The body itself is counted again while it streams to disk (lib/datasets/zip-upload.ts).
import { DomainError } from "@/lib/errors/domain-error";

const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/octet-stream"]);

/** The request's body, once its type and declared length are acceptable for a zip upload. */
export function zipRequestBody(req: Request, maxUploadBytes: number): ReadableStream<Uint8Array> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!ZIP_TYPES.has(type))
    throw new DomainError(
      "unsupported",
      `Send the zip itself as the body with Content-Type application/zip (got "${type || "none"}").`,
    );
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxUploadBytes) {
    throw new DomainError(
      "too-large",
      `The upload is larger than the limit of ${Math.round(maxUploadBytes / 1048576)} MB (FOCUS_MAX_UPLOAD_MB).`,
    );
  }
  if (!req.body) throw DomainError.invalid("The upload is empty: choose a .zip file.");
  return req.body;
}
