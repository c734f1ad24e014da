import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, chmodSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { putBytes, getBytes, pathOfKey, keyFor, isStorageKey } from "./content-store";
import { isDomainError } from "../errors/domain-error";

const isStorageWriteError = (e: unknown) => isDomainError(e, "unavailable") && e.code === "storage-write";

function withRoot<T>(fn: (root: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), "focus-store-"));
  const prev = process.env.FOCUS_STORAGE_DIR;
  process.env.FOCUS_STORAGE_DIR = root;
  return fn(root).finally(() => {
    process.env.FOCUS_STORAGE_DIR = prev;
  });
}

test("stores by content and reads back the same bytes", () =>
  withRoot(async () => {
    const bytes = new TextEncoder().encode("pixels");
    const key = await putBytes(bytes, "png", "img");
    assert.ok(isStorageKey(key));
    assert.equal(key, keyFor(bytes, "png", "img"));
    assert.deepEqual(new Uint8Array(await getBytes(key)), bytes);
    assert.equal(await putBytes(bytes, "png", "img"), key);
  }));

test("refuses keys that are not well formed or try to escape", () => {
  for (const bad of ["../etc/passwd", "ab/../../x.png", "/abs/ab.png", "img/zz/" + "0".repeat(62) + ".png", ""]) {
    assert.throws(() => pathOfKey(bad), /Not a storage key/);
  }
});

test(
  "a read-only storage folder gives a clear error and leaves no partial file",
  { skip: process.getuid?.() === 0 ? "root ignores file modes" : false },
  () =>
    withRoot(async (root) => {
      chmodSync(root, 0o500);
      try {
        await assert.rejects(
          putBytes(new Uint8Array([1, 2, 3]), "bin"),
          (e: unknown) => isStorageWriteError(e) && /not writable/.test((e as Error).message),
        );
      } finally {
        chmodSync(root, 0o700);
      }
      assert.deepEqual(readdirSync(root), []);
    }),
);

test("a failed write removes its temporary file", () =>
  withRoot(async (root) => {
    // A directory where the file should go makes the final rename fail.
    const bytes = new Uint8Array([9, 9, 9]);
    const key = keyFor(bytes, "bin");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(pathOfKey(key), { recursive: true });
    mkdirSync(join(pathOfKey(key), "occupied"));
    await assert.rejects(putBytes(bytes, "bin"), isStorageWriteError);
    const dir = join(root, key.slice(0, 2));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith(".tmp")),
      [],
    );
    assert.ok(existsSync(pathOfKey(key)));
  }));
