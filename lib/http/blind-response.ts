// The reader's blinded files as HTTP answers: never cached, no validators (an ETag would be a hash of the content,
// a stable name for one model's map), no file name, and a type that says only what kind of file it is.
import { Readable } from "node:stream";
import { getBytes, openStored } from "../storage/content-store";
import { DomainError } from "../errors/domain-error";
import { sessionUserOf } from "../auth/session";
import { requestSessionClaims, type SessionClaims } from "../auth/session-token";
import { sessionBlindFile, type BlindPayload } from "../studies/reader-survey";

const TYPE_OF_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  cam: "application/octet-stream",
};

const NO_STORE = "private, no-store";

/** The same bare 404 for a missing token, another reader's token, a revoked reader or anyone else. */
export function blindNotFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "Cache-Control": NO_STORE, "Content-Type": "text/plain" },
  });
}

function typeOfKey(key: string): string {
  const type = TYPE_OF_EXTENSION[key.slice(key.lastIndexOf(".") + 1)];
  if (!type) throw new Error("a blinded file of an unknown kind");
  return type;
}

/** The headers of every blinded file: its kind's type and its size, nothing else. */
function blindFileHeaders(type: string, size: number): HeadersInit {
  return {
    "Content-Type": type,
    "Content-Length": String(size),
    "Cache-Control": NO_STORE,
    "X-Content-Type-Options": "nosniff",
  };
}

/**
 * The stored file under `key` as it is on disk (never decoded or re-encoded): small files from one read,
 * larger ones streamed in chunks; the bare 404 when the file is missing.
 */
export async function streamedBlindResponse(key: string): Promise<Response> {
  const type = typeOfKey(key);
  const file = await openStored(key).catch(() => null);
  if (!file) return blindNotFound();
  const body: BodyInit = file.bytes ?? (Readable.toWeb(file.stream) as ReadableStream<Uint8Array<ArrayBuffer>>);
  return new Response(body, { headers: blindFileHeaders(type, file.size) });
}

/** Bytes read from storage under `key` (its extension gives the type). */
export function blindPayloadResponse(bytes: Uint8Array, key: string): Response {
  return new Response(new Uint8Array(bytes), { headers: blindFileHeaders(typeOfKey(key), bytes.byteLength) });
}

/** The stored file under `key` as a blinded answer (also the coordinator's reader preview), or a not-found. */
export async function storedFileResponse(key: string): Promise<Response> {
  const bytes = await getBytes(key).catch(() => null);
  if (!bytes) throw DomainError.notFound("The file is missing from storage.");
  return blindPayloadResponse(bytes, key);
}

/**
 * The stored file a reader's blind token serves for `kind` under this session, or null: only the token's own
 * reader, signed in through a live invitation to its study, gets it. The session check (lib/auth's rules) and
 * the token lookup share one query: five of these come with every case page.
 */
export async function blindFileKey(claims: SessionClaims | null, token: string, kind: BlindPayload) {
  // Only a reader's session names an invitation.
  if (!claims?.inv) return null;
  const found = await sessionBlindFile(claims.uid, claims.inv, token, kind);
  const user = found && sessionUserOf(claims, found.user);
  if (!user || user.role !== "SPECIALIST" || !user.invitation || !found.file) return null;
  return found.file.key;
}

/**
 * The GET handler of a route that serves one kind of the reader's blinded files by opaque token: the original
 * or a slot's overlay ("picture", /api/blind/[token]) or a slot's raw class-activation map ("cam",
 * /api/blind/[token]/cam); the same bare 404 for everyone but the token's reader.
 */
export function blindFileRoute(kind: BlindPayload) {
  return async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
    const { token } = await params;
    const key = await blindFileKey(await requestSessionClaims(), token, kind);
    return key ? streamedBlindResponse(key) : blindNotFound();
  };
}
