// PNGs from storage as HTTP answers. Staff views may cache privately for a while; the reader's
// blinded images never are (see app/api/blind).
import { getBytes } from "../storage/content-store";
import { DomainError } from "../errors/domain-error";

export const STAFF_IMAGE_CACHE = "private, max-age=300";

export function pngResponse(bytes: Uint8Array, cacheControl: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/png",
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": cacheControl,
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The stored PNG under `key`, or a 404 naming what is missing. */
export async function storedPngResponse(
  key: string,
  what: string,
  cacheControl = STAFF_IMAGE_CACHE,
): Promise<Response> {
  const bytes = await getBytes(key).catch(() => null);
  if (!bytes) throw DomainError.notFound(`The ${what} file is missing from storage.`);
  return pngResponse(bytes, cacheControl);
}
