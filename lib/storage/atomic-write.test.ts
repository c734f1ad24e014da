// The shared atomic write: the target is always a whole old or new file, temporaries never stay behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replaceDirAtomic, writeFileAtomic } from "./atomic-write";

test("writeFileAtomic replaces a file and leaves only the target; a failed write leaves the old file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "focus-atomic-"));
  const target = join(dir, "model.json");
  await writeFileAtomic(target, "old");
  await writeFileAtomic(target, "new");
  assert.equal(await readFile(target, "utf8"), "new");
  assert.deepEqual(await readdir(dir), ["model.json"]);
  await assert.rejects(writeFileAtomic(join(dir, "missing", "x.json"), "y"));
  assert.deepEqual(await readdir(dir), ["model.json"]);
});

test("replaceDirAtomic puts a new folder in place of an old one, or of none", async () => {
  const dir = await mkdtemp(join(tmpdir(), "focus-atomic-"));
  for (const content of ["first", "second"]) {
    const tmp = join(dir, `ckpt.tmp-${content}`);
    await mkdir(tmp);
    await writeFile(join(tmp, "state.json"), content);
    await replaceDirAtomic(tmp, join(dir, "ckpt"), join(dir, `ckpt.old-${content}`));
    assert.equal(await readFile(join(dir, "ckpt", "state.json"), "utf8"), content);
    assert.deepEqual(await readdir(dir), ["ckpt"]);
  }
});
