// What the researcher console needs to map a label table before anything is written: the label tables found in a
// folder (under the import roots), their columns, and for each column its values with row counts, so the form can
// offer the image/label/split/group/mask columns and the positive and negative value sets, and preview the counts
// per class and the skipped rows. Reads only; nothing is stored.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { DomainError } from "@/lib/errors/domain-error";
import { LABEL_TABLE_EXTENSIONS, parseLabelTable, type LabelTable } from "@/lib/ml/data/label-table";
import { confineToImportRoots, type FolderAccess } from "./import-roots";

export interface ColumnSummary {
  name: string;
  /** Distinct non-empty values. */
  distinct: number;
  /** Values with their row counts, most frequent first; only for columns with few distinct values (labels, splits). */
  values: Array<{ value: string; rows: number }> | null;
  /** Rows whose cell is empty. */
  empty: number;
}

export interface TablePreview {
  /** Relative to the folder, with "/" separators. */
  path: string;
  rows: number;
  columns: ColumnSummary[];
  /** Columns that look like the usual ones: image id, label, split, group, mask (by header name). */
  guess: { image?: string; label?: string; split?: string; group?: string; mask?: string };
}

/** Few enough values to pick from; a label or split column, not an id column. */
const MAX_LISTED_VALUES = 40;
const MAX_TABLES = 8;
const MAX_TABLE_BYTES = 32 * 1024 * 1024;
const MAX_DEPTH = 2;

export function summariseTable(table: LabelTable, path: string): TablePreview {
  const columns = table.columns.map((name): ColumnSummary => {
    const counts = new Map<string, number>();
    let empty = 0;
    for (const row of table.rows) {
      const v = row.cells[name];
      if (v === "") empty++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const values =
      counts.size <= MAX_LISTED_VALUES
        ? [...counts]
            .map(([value, rows]) => ({ value, rows }))
            .sort((a, b) => b.rows - a.rows || (a.value < b.value ? -1 : 1))
        : null;
    return { name, distinct: counts.size, values, empty };
  });
  const find = (pattern: RegExp) => table.columns.find((c) => pattern.test(c));
  return {
    path,
    rows: table.rows.length,
    columns,
    guess: {
      image: find(/^(image(_?id|_?name|_?path)?|file(_?name|_?path)?|filename|path|id)$/i),
      label: find(/^(label|dx|diagnosis|class|target|melanoma|finding)$/i),
      split: find(/^(split|set|subset|partition|fold)$/i),
      group: find(/^(lesion_?id|patient(_?id)?|subject(_?id)?|group|case_?id)$/i),
      mask: find(/^(mask|segmentation|mask_?(path|file))$/i),
    },
  };
}

/** Label tables at the folder's top level and one or two folders down, in name order. */
async function findTables(root: string, dir = "", depth = 0): Promise<string[]> {
  const entries = await readdir(/* turbopackIgnore: true */ join(root, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "__MACOSX") continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isFile() && LABEL_TABLE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(rel);
    else if (e.isDirectory() && depth < MAX_DEPTH && out.length < MAX_TABLES)
      out.push(...(await findTables(root, rel, depth + 1)));
    if (out.length >= MAX_TABLES) break;
  }
  return out.slice(0, MAX_TABLES);
}

/** The folder's label tables, summarised. A folder outside the import roots is refused before anything is read. */
export async function previewFolderTables(folder: string, access: FolderAccess): Promise<TablePreview[]> {
  const root = access.scope === "import-roots" ? await confineToImportRoots(folder, access.roots) : folder;
  const found = await findTables(root);
  const previews: TablePreview[] = [];
  for (const path of found) {
    const full = join(root, path);
    const size = (await stat(/* turbopackIgnore: true */ full)).size;
    if (size > MAX_TABLE_BYTES)
      throw DomainError.invalid(`Label table ${path} is larger than ${MAX_TABLE_BYTES / 1048576} MB.`);
    previews.push(summariseTable(parseLabelTable(await readFile(/* turbopackIgnore: true */ full), path), path));
  }
  return previews;
}
