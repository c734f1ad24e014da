// Pixels and weights live in FOCUS_STORAGE_DIR under content-addressed keys
// ("ab/cdef….png" = SHA-256 of the bytes). A key is registered in the database only after its
// file is complete: writes go to a temporary file, are fsynced, then renamed into place, so a crash
// or a full disk never leaves a half-written file under a real key.
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { dirname, join, resolve, sep } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { DomainError } from "../errors/domain-error";
import { envVar } from "../config/env";

export function storageRoot(): string {
  return resolve(envVar("FOCUS_STORAGE_DIR"));
}

const KEY_PATTERN = /^(?:[a-z0-9-]+\/)?[0-9a-f]{2}\/[0-9a-f]{62}\.[a-z0-9]{2,5}$/;

export function isStorageKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Absolute path of a key; refuses anything that is not a well-formed key (no traversal). */
export function pathOfKey(key: string, root = storageRoot()): string {
  if (!isStorageKey(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
  const p = resolve(root, key);
  if (!p.startsWith(root + sep)) throw new Error("Storage key escapes the storage folder");
  return p;
}

export function keyFor(bytes: Uint8Array, ext: string, namespace?: string): string {
  const hex = createHash("sha256").update(bytes).digest("hex");
  return `${namespace ? `${namespace}/` : ""}${hex.slice(0, 2)}/${hex.slice(2)}.${ext}`;
}

/** Why a folder cannot be written: the kernel's answer for its nearest existing ancestor. */
async function unwritableReason(dir: string): Promise<string | undefined> {
  let d = dir;
  while (d !== dirname(d) && !(await stat(d).catch(() => null))) d = dirname(d);
  return access(d, constants.W_OK).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e.code,
  );
}

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  try {
    // Inside the try: a read-only or misconfigured folder fails here first and must get the same clear error.
    await mkdir(dirname(path), { recursive: true }).catch(async (e: NodeJS.ErrnoException) => {
      // Node's recursive mkdir reports ENOENT on a read-only file system; ask for the real reason.
      if (e.code === "ENOENT") e.code = (await unwritableReason(dirname(path))) ?? e.code;
      throw e;
    });
    await writeFileAtomic(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOSPC" || code === "EDQUOT"
        ? "the storage folder is full"
        : code === "EROFS" || code === "EACCES" || code === "EPERM"
          ? "the storage folder is not writable"
          : code === "ENOTDIR" || code === "EEXIST"
            ? "a path inside the storage folder is a file, not a folder"
            : (e as Error).message;
    // Unavailable, not a bug: freeing space or fixing permissions makes the same call succeed.
    throw new DomainError("unavailable", `Could not write to ${storageRoot()}: ${why}.`, {
      code: "storage-write",
      cause: e,
    });
  }
}

/** Stores bytes and returns their key; storing the same bytes twice is a no-op. */
export async function putBytes(bytes: Uint8Array, ext: string, namespace?: string): Promise<string> {
  const key = keyFor(bytes, ext, namespace);
  const path = pathOfKey(key);
  const existing = await stat(path).catch(() => null);
  if (existing && existing.size === bytes.byteLength) return key;
  await writeAtomic(path, bytes);
  return key;
}

export function getBytes(key: string): Promise<Buffer> {
  return readFile(pathOfKey(key));
}

/** Below this a stored file is read in one call; above it, streamed in chunks (display copies, raw maps). */
const READ_WHOLE_BELOW = 256 * 1024;

/**
 * A stored file for serving as it is: its size first (for Content-Length), then either its bytes (small files,
 * one read) or a stream that reads it in chunks. Null when the file is missing.
 */
export async function openStored(
  key: string,
): Promise<
  | { size: number; bytes: Uint8Array<ArrayBuffer>; stream: null }
  | { size: number; bytes: null; stream: Readable }
  | null
> {
  const handle = await open(pathOfKey(key), "r").catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size < READ_WHOLE_BELOW) {
      const bytes = new Uint8Array(size);
      const { bytesRead } = await handle.read(bytes, 0, size, 0);
      await handle.close();
      return { size: bytesRead, bytes: bytes.subarray(0, bytesRead), stream: null };
    }
    // The stream owns the handle from here and closes it at the end or on error.
    return { size, bytes: null, stream: handle.createReadStream({ highWaterMark: 64 * 1024 }) };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/** Mutable files (checkpoints, model directories) live under named paths, also written atomically. */
export function namedPath(...parts: string[]): string {
  for (const p of parts)
    if (!/^[A-Za-z0-9._-]+$/.test(p) || p === "." || p === "..") throw new Error(`Bad path part ${p}`);
  return join(storageRoot(), ...parts);
}
