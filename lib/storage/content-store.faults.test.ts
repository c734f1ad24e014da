// Storage faults: a full or read-only storage folder gives a clear storage-write DomainError, leaves no
// temporary or half-written file behind, and registers no key.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getBytes, keyFor, pathOfKey, putBytes } from "./content-store";
import { isDomainError } from "../errors/domain-error";

const isStorageWriteError = (e: unknown) => isDomainError(e, "unavailable") && e.code === "storage-write";
import { mountTmpfs, type Mounted } from "../testing/tmpfs-mount";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe("storage faults", () => {
  const saved = process.env.FOCUS_STORAGE_DIR;
  let root: string;
  const mounts: Mounted[] = [];
  before(() => {
    root = mkdtempSync(join(tmpdir(), "focus-storage-fault-"));
    process.env.FOCUS_STORAGE_DIR = root;
  });
  after(() => {
    for (const m of mounts) m.unmount();
    process.env.FOCUS_STORAGE_DIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  test("a full storage folder: clear error, no temporary file, the key stays absent", async (t) => {
    const m = mountTmpfs(join(root, "full"), { sizeBytes: 64 * 1024 });
    if (!m) return t.skip("mount is not allowed here");
    mounts.push(m);
    const bytes = randomBytes(256 * 1024);
    await assert.rejects(
      putBytes(bytes, "png", "full"),
      (e: unknown) => isStorageWriteError(e) && /storage folder is full/.test((e as Error).message),
    );
    assert.deepEqual(filesUnder(m.path), [], "nothing half-written or temporary is left");
    await assert.rejects(getBytes(keyFor(bytes, "png", "full")));
    // Small files still fit: the store keeps working once space is free.
    const small = randomBytes(1024);
    assert.deepEqual(await getBytes(await putBytes(small, "png", "full")), small);
  });

  test("a read-only storage folder: clear error, nothing written", async (t) => {
    const m = mountTmpfs(join(root, "ro"), { sizeBytes: 1024 * 1024, readOnly: true });
    if (!m) return t.skip("mount is not allowed here");
    mounts.push(m);
    const bytes = randomBytes(4096);
    await assert.rejects(
      putBytes(bytes, "png", "ro"),
      (e: unknown) => isStorageWriteError(e) && /not writable/.test((e as Error).message),
    );
    assert.deepEqual(filesUnder(m.path), []);
  });

  test("a storage path that is a file (misconfiguration): a storage-write error naming the folder", async () => {
    writeFileSync(join(root, "blocked"), "not a folder");
    const bytes = randomBytes(100);
    await assert.rejects(
      putBytes(bytes, "png", "blocked"),
      (e: unknown) => isStorageWriteError(e) && (e as Error).message.includes(root),
    );
    assert.equal(existsSync(pathOfKey(keyFor(bytes, "png", "blocked"))), false);
  });
});
