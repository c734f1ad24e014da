// Folder import from the web app stays inside FOCUS_IMPORT_ROOTS: the attacks a researcher tried (/etc,
// /proc/self, a 0700 folder, a link out of the root, a sibling whose name starts like the root) are refused
// without telling what the folder holds, and nothing is written.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { confineToImportRoots } from "./import-roots";
import { importFolderDataset } from "./import-folder";

let base: string;
let root: string;
let outside: string;

async function png(i: number): Promise<Buffer> {
  const data = Buffer.alloc(40 * 40 * 3, 60 + i * 10);
  return sharp(data, { raw: { width: 40, height: 40, channels: 3 } })
    .png()
    .toBuffer();
}

/** A valid two-class dataset folder. */
async function dataset(dir: string, offset = 0): Promise<void> {
  for (const cls of ["no", "yes"]) {
    await mkdir(join(dir, cls), { recursive: true });
    for (let i = 0; i < 3; i++)
      await writeFile(join(dir, cls, `${cls}${i}.png`), await png(offset + i + (cls === "yes" ? 5 : 0)));
  }
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), "focus-roots-"));
  root = join(base, "imp");
  outside = join(base, "private");
  await dataset(join(root, "good"));
  await dataset(outside, 20);
  await chmod(outside, 0o700);
  // Same prefix as the root, not inside it.
  await dataset(join(base, "import-evil"), 40);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
  await disconnectDb();
});

/**
 * Refused as forbidden, and the message names none of the entries of `listed` (words that the refusal of a
 * folder that does not exist also contains, such as "root", say nothing about the folder).
 */
async function refusedWithoutListing(run: () => Promise<unknown>, listed?: string): Promise<void> {
  const names = listed ? await readdir(listed) : [];
  const baseline = await confineToImportRoots("/no/such/folder", [root]).then(
    () => "",
    (e: Error) => e.message,
  );
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof DomainError, String(e));
    assert.equal(e.kind, "forbidden", e.message);
    for (const n of names.filter((x) => x.length > 1 && !baseline.includes(x) && !(listed ?? "").includes(x))) {
      assert.ok(!e.message.includes(n), `the message lists ${n}: ${e.message}`);
    }
    return true;
  });
}

describe("confineToImportRoots", () => {
  test("a folder inside a root is admitted as its real path", async () => {
    assert.equal(await confineToImportRoots(join(root, "good"), [root]), join(root, "good"));
    assert.equal(await confineToImportRoots(join(root, "good", "..", "good"), [root]), join(root, "good"));
  });

  test("/etc and /proc/self are refused without a listing", async () => {
    await refusedWithoutListing(() => confineToImportRoots("/etc", [root]), "/etc");
    await refusedWithoutListing(() => confineToImportRoots("/proc/self", [root]), "/proc/self");
    await refusedWithoutListing(() => confineToImportRoots(`${root}/../../../../etc`, [root]), "/etc");
  });

  test("a sibling whose name starts with the root's is not inside it", async () => {
    await refusedWithoutListing(
      () => confineToImportRoots(join(base, "import-evil"), [root]),
      join(base, "import-evil"),
    );
    await refusedWithoutListing(() => confineToImportRoots(join(base, "import-evil"), [`${root}/`]));
  });

  test("a 0700 folder outside the roots is refused (the server may run as root)", async () => {
    await refusedWithoutListing(() => confineToImportRoots(outside, [root]), outside);
  });

  test("links out of the root are refused: the folder itself, a class folder, a file", async () => {
    const linkedFolder = join(root, `link-${randomBytes(3).toString("hex")}`);
    await symlink(outside, linkedFolder);
    await refusedWithoutListing(() => confineToImportRoots(linkedFolder, [root]), outside);

    const mixed = join(root, `mixed-${randomBytes(3).toString("hex")}`);
    await dataset(mixed, 60);
    await symlink("/etc", join(mixed, "etc-class"));
    await refusedWithoutListing(() => confineToImportRoots(mixed, [root]), "/etc");
    await rm(join(mixed, "etc-class"));
    await symlink(join(outside, "yes", "yes0.png"), join(mixed, "yes", "stolen.png"));
    await assert.rejects(
      confineToImportRoots(mixed, [root]),
      /"yes\/stolen\.png" is a link to a place outside the import roots/,
    );
    await rm(join(mixed, "yes", "stolen.png"));
    // A link that stays inside the roots is fine.
    await symlink(join(root, "good", "yes", "yes0.png"), join(mixed, "yes", "shared.png"));
    assert.equal(await confineToImportRoots(mixed, [root]), mixed);
  });

  test("links at any depth are refused: split folders, per-case folders, a linked folder inside the roots", async () => {
    const nested = join(root, `nested-${randomBytes(3).toString("hex")}`);
    for (const split of ["train", "test"]) await dataset(join(nested, split), 70);
    await mkdir(join(nested, "train", "yes", "case-7"), { recursive: true });
    await symlink(join(outside, "yes", "yes1.png"), join(nested, "train", "yes", "case-7", "stolen.png"));
    await assert.rejects(
      confineToImportRoots(nested, [root]),
      /"train\/yes\/case-7\/stolen\.png" is a link to a place outside the import roots/,
    );
    await rm(join(nested, "train", "yes", "case-7", "stolen.png"));
    assert.equal(await confineToImportRoots(nested, [root]), nested);
    // A folder linked from inside the roots is read through, so what it holds is checked too.
    const hop = join(root, `hop-${randomBytes(3).toString("hex")}`);
    await mkdir(hop);
    await symlink(join(outside, "no", "no0.png"), join(hop, "stolen.png"));
    await symlink(hop, join(nested, "test", "no", "hop"));
    await assert.rejects(confineToImportRoots(nested, [root]), /"test\/no\/hop\/stolen\.png" is a link/);
    // A loop of links ends.
    await rm(join(hop, "stolen.png"));
    await symlink(nested, join(hop, "back"));
    assert.equal(await confineToImportRoots(nested, [root]), nested);
  });

  test("a missing folder: 'not found' inside a root, the same refusal as any other outside", async () => {
    await assert.rejects(
      confineToImportRoots(join(root, "nope"), [root]),
      (e: unknown) => e instanceof DomainError && e.kind === "not-found",
    );
    await refusedWithoutListing(() => confineToImportRoots("/no/such/folder", [root]));
  });

  test("no roots configured: refused with how to enable it; relative paths are refused", async () => {
    await assert.rejects(confineToImportRoots(join(root, "good"), []), /not enabled.*FOCUS_IMPORT_ROOTS/);
    await assert.rejects(
      confineToImportRoots("imp/good", [root]),
      (e: unknown) => e instanceof DomainError && e.kind === "invalid",
    );
  });
});

describe("importFolderDataset under import roots", () => {
  test("refused before anything is read or written; admitted inside the root", async () => {
    const name = `roots-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
    const roots = { scope: "import-roots", roots: [root] } as const;
    for (const folder of ["/etc", "/proc/self", outside, join(base, "import-evil")]) {
      await refusedWithoutListing(() => importFolderDataset({ folder, name, positive: "yes", size: 32 }, roots));
    }
    assert.equal(await db().dataset.findUnique({ where: { name } }), null);
    const ok = await importFolderDataset({ folder: join(root, "good"), name, positive: "yes", size: 32 }, roots);
    assert.equal(ok.dataset.source, join(root, "good"));
    // The shell's CLI path reads anything, e.g. the 0700 folder.
    const cli = await importFolderDataset(
      { folder: outside, name: `${name}-cli`, positive: "yes", size: 32 },
      { scope: "any-path" },
    );
    assert.equal(cli.dataset.source, outside);
  });
});
