// The one way Focus writes a file that must never be seen half-written (stored images and heat-maps, model
// weights, checkpoints): write a temporary sibling, fsync it, rename it over the target, fsync the folder.
// After a crash or power cut the target is either the old file or the new one. Imports only node:fs, so the
// ML layers may use it without depending on the rest of the storage module.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Writes and fsyncs a file in place (for files inside a fresh temporary folder that is renamed as a whole). */
export async function writeFileSynced(file: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  const fh = await open(file, "w", mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsyncs a folder so that renames inside it survive a power cut (best effort: some file systems refuse). */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r").catch(() => null);
  if (fh === null) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}

/** Replaces `target` with `data` atomically; the folder must exist. A failed write leaves no temporary file. */
export async function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(target));
}

/**
 * Puts a completely written folder `tmpDir` in the place of `finalDir`: the old one is renamed aside to
 * `oldDir`, the new one renamed in, the parent fsynced, the old one removed. A crash leaves `finalDir` or,
 * between the two renames, `oldDir` complete.
 */
export async function replaceDirAtomic(tmpDir: string, finalDir: string, oldDir: string): Promise<void> {
  await syncDir(tmpDir);
  const hadOld = await rename(finalDir, oldDir).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return false;
      throw e;
    },
  );
  await rename(tmpDir, finalDir);
  await syncDir(dirname(finalDir));
  if (hadOld) await rm(oldDir, { recursive: true, force: true });
}
