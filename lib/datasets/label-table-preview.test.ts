// The console's label-table preview: tables found under an import root, their columns, values and guesses; a
// folder outside the roots is refused before anything is read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDomainError } from "@/lib/errors/domain-error";
import { previewFolderTables } from "./label-table-preview";

let dir = "";
let root = "";

before(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "focus-preview-")));
  root = join(dir, "imports");
  await mkdir(join(root, "ham", "images"), { recursive: true });
  const rows = ["\uFEFFlesion_id;image_id;dx;dx_type"];
  for (let i = 0; i < 60; i++)
    rows.push(`HAM_${Math.floor(i / 2)};ISIC_${i};${["nv", "nv", "mel", "bkl"][i % 4]};histo`);
  rows.push("HAM_99;ISIC_99;;histo");
  await writeFile(join(root, "ham", "HAM10000_metadata.csv"), rows.join("\r\n"));
  await writeFile(join(root, "ham", "images", "notes.txt"), "not a table");
  await mkdir(join(dir, "elsewhere"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("label table preview", () => {
  test("lists the tables with columns, value counts and guessed roles", async () => {
    const [table, ...rest] = await previewFolderTables(join(root, "ham"), { scope: "import-roots", roots: [root] });
    assert.equal(rest.length, 0);
    assert.equal(table.path, "HAM10000_metadata.csv");
    assert.equal(table.rows, 61);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ["lesion_id", "image_id", "dx", "dx_type"],
    );
    const dx = table.columns.find((c) => c.name === "dx")!;
    assert.deepEqual(dx.values, [
      { value: "nv", rows: 30 },
      { value: "bkl", rows: 15 },
      { value: "mel", rows: 15 },
    ]);
    assert.equal(dx.empty, 1);
    // 61 distinct ids: too many to list as class values.
    assert.equal(table.columns.find((c) => c.name === "image_id")!.values, null);
    assert.deepEqual(table.guess, {
      image: "image_id",
      label: "dx",
      split: undefined,
      group: "lesion_id",
      mask: undefined,
    });
  });

  test("a folder outside the import roots is refused", async () => {
    await assert.rejects(
      previewFolderTables(join(dir, "elsewhere"), { scope: "import-roots", roots: [root] }),
      (e: unknown) => isDomainError(e),
    );
  });
});
