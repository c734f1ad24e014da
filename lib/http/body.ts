// The one way a route reads a request body into memory: bytes are counted as they arrive and reading
// stops at the limit, so an oversized or endless chunked body costs at most `maxBytes` of memory.
// Request.text()/json()/formData() buffer the whole body first and must not be used on request bodies.
import { DomainError } from "../errors/domain-error";

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("too-large", `Request body larger than ${maxBytes} bytes.`);
}

/** A declared Content-Length over the limit is refused before a byte is read. */
export function refuseDeclaredOversize(req: Request, maxBytes: number): void {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

/** Reads the whole body, at most `maxBytes`; past that it cancels the stream and throws a too-large error. */
export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  refuseDeclaredOversize(req, maxBytes);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The body as UTF-8 text, read with readBody's limit. */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  return (await readBody(req, maxBytes)).toString("utf8");
}
