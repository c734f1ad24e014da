// Rename and delete: uniqueness, the study guard, audit in the same transaction, and files removed only when no
// other dataset refers to them (content-addressed storage shares identical images).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors/domain-error";
import { pathOfKey } from "@/lib/storage/content-store";
import { deleteDataset, renameDataset } from "./dataset-lifecycle";
import { importFolderDataset } from "./import-folder";

const ANY_PATH = { scope: "any-path" } as const;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
let dir = "";

async function png(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(32 * 32 * 3, seed * 7);
  data.set([seed, 255 - seed, 3], 0);
  return sharp(data, { raw: { width: 32, height: 32, channels: 3 } })
    .png()
    .toBuffer();
}

async function folder(name: string, seeds: number[]): Promise<string> {
  const root = join(dir, name);
  for (const cls of ["a", "b"]) await mkdir(join(root, cls), { recursive: true });
  for (const s of seeds) await writeFile(join(root, s % 2 ? "b" : "a", `i${s}.png`), await png(s));
  return root;
}

const exists = (key: string) =>
  access(pathOfKey(key)).then(
    () => true,
    () => false,
  );

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-lifecycle-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await disconnectDb();
});

describe("dataset lifecycle", () => {
  test("delete removes rows and only the files no other dataset uses, with its audit event", async () => {
    const small = await importFolderDataset(
      { folder: await folder("small", [1, 2, 3, 4]), name: unique("small"), positive: "b", size: 32 },
      ANY_PATH,
    );
    const large = await importFolderDataset(
      { folder: await folder("large", [1, 2, 3, 4, 5, 6]), name: unique("large"), positive: "b", size: 32 },
      ANY_PATH,
    );
    const keysOf = async (id: string) =>
      (await db().image.findMany({ where: { datasetId: id }, select: { fileKey: true } })).map((i) => i.fileKey);
    const shared = await keysOf(small.dataset.id);
    const own = (await keysOf(large.dataset.id)).filter((k) => !shared.includes(k));
    assert.equal(own.length, 2);

    await assert.rejects(
      deleteDataset({ datasetId: large.dataset.id, confirmName: "something else" }, null),
      (e: unknown) => isDomainError(e) && e.kind === "invalid",
    );
    const result = await deleteDataset({ datasetId: large.dataset.id, confirmName: large.dataset.name }, null);
    assert.deepEqual(result, { name: large.dataset.name, images: 6, runs: 0, filesRemoved: 2 });
    assert.equal(await db().dataset.count({ where: { id: large.dataset.id } }), 0);
    assert.equal(await db().image.count({ where: { datasetId: large.dataset.id } }), 0);
    for (const k of own) assert.equal(await exists(k), false, `${k} removed`);
    for (const k of shared) assert.equal(await exists(k), true, `${k} still used by the other dataset`);
    const audit = await db().auditEvent.findFirst({ where: { action: "dataset.delete", subject: large.dataset.id } });
    assert.deepEqual(audit?.details, { name: large.dataset.name, images: 6, runs: 0 });
  });

  test("delete is refused while a study uses the dataset", async () => {
    const { dataset } = await importFolderDataset(
      { folder: await folder("studied", [11, 12, 13, 14]), name: unique("studied"), positive: "b", size: 32 },
      ANY_PATH,
    );
    const owner = await db().user.create({
      data: { email: `${unique("owner")}@example.org`, name: "Owner", role: "COORDINATOR", pseudonym: unique("P") },
    });
    await db().study.create({
      data: { title: "Private study title", datasetId: dataset.id, ownerId: owner.id, settings: {}, designSeed: "1" },
    });
    await assert.rejects(
      deleteDataset({ datasetId: dataset.id, confirmName: dataset.name }, null),
      (e: unknown) =>
        isDomainError(e) &&
        e.kind === "conflict" &&
        e.message === `Dataset "${dataset.name}" is used by 1 study; it cannot be deleted while a study uses it.`,
    );
    assert.equal(await db().image.count({ where: { datasetId: dataset.id } }), 4);
    assert.equal(await db().auditEvent.count({ where: { action: "dataset.delete", subject: dataset.id } }), 0);
  });

  test("rename keeps names unique and is audited", async () => {
    const { dataset } = await importFolderDataset(
      { folder: await folder("renamed", [21, 22, 23, 24]), name: unique("before"), positive: "b", size: 32 },
      ANY_PATH,
    );
    const other = await importFolderDataset(
      { folder: await folder("other", [31, 32, 33, 34]), name: unique("taken"), positive: "b", size: 32 },
      ANY_PATH,
    );
    await assert.rejects(
      renameDataset({ datasetId: dataset.id, name: other.dataset.name }, null),
      (e: unknown) => isDomainError(e) && e.kind === "conflict",
    );
    const to = unique("after");
    assert.deepEqual(await renameDataset({ datasetId: dataset.id, name: to }, null), { from: dataset.name, to });
    assert.equal((await db().dataset.findUniqueOrThrow({ where: { id: dataset.id } })).name, to);
    const audit = await db().auditEvent.findFirst({ where: { action: "dataset.rename", subject: dataset.id } });
    assert.deepEqual(audit?.details, { from: dataset.name, to });
  });
});
