// Import of a labelled image folder (root/<class>/*.png|jpg, optional root/masks/) as a dataset: the scan
// (lib/ml/data/folder-import.ts) decides what is accepted; here every accepted image is stored as a resized
// RGB PNG, with its mask when one matched, and the rows are written with a stratified 80/20 split.
// Every caller says how far it may reach (FolderAccess): the web app only under the import roots.
import { resolve } from "node:path";
import type { Dataset } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { scanImageFolder, type ImportReport, type ImportWarning } from "@/lib/ml/data/folder-import";
import { importFolderInputSchema, type ImportFolderInput } from "./dataset-inputs";
import { confineToImportRoots, type FolderAccess } from "./import-roots";
import {
  assertDatasetNameFree,
  createDatasetRows,
  storeDatasetImage,
  type DatasetAudit,
  type ImportSkip,
  type StoredImage,
} from "./persist-dataset";

export type { FolderAccess } from "./import-roots";

export interface FolderImportOptions {
  /** Recorded as the dataset's source instead of the folder's path (the zip importer's temp folder). */
  source?: string;
  /** Reported before the scan's own skips (entries of a zip that were not extracted). */
  priorSkips?: ImportSkip[];
  /** Written in the same transaction as the dataset's rows. */
  audit?: DatasetAudit;
}


export interface FolderImportResult {
  dataset: Dataset;
  /** Files not imported, with the reason (also stored in Dataset.importReport). */
  skipped: ImportSkip[];
  warnings: ImportWarning[];
  classes: ImportReport["classes"];
}

export function skipsOf(report: ImportReport): ImportSkip[] {
  return report.rejected.map((r) => ({ path: r.relativePath, reason: `${r.reason}: ${r.detail}` }));
}

export async function importFolderDataset(
  input: ImportFolderInput,
  access: FolderAccess,
  options: FolderImportOptions = {},
): Promise<FolderImportResult> {
  const opts = importFolderInputSchema.parse(input);
  // Before anything is read: a refusal must not depend on, or tell, what the folder holds.
  const root = access.scope === "import-roots" ? await confineToImportRoots(opts.folder, access.roots) : resolve(opts.folder);
  // Before the scan, which can take minutes on a large folder.
  await assertDatasetNameFree(opts.name);
  // Pixels are decoded again per image when stored rather than all held in memory at once.
  const report = await scanImageFolder(root, { positive: opts.positive, size: opts.size, keepPixels: false });
  for (const c of report.classes) {
    // Both sides of the split need both classes (a validation AUC is undefined otherwise).
    if (c.accepted < 2) {
      const reasons = skipsOf(report).filter((s) => s.path.startsWith(`${c.name}/`)).slice(0, 5).map((s) => `${s.path}: ${s.reason}`);
      throw DomainError.invalid(`Class "${c.name}" has ${c.accepted} usable image(s); at least 2 per class are needed.${reasons.length ? ` Skipped: ${reasons.join("; ")}` : ""}`);
    }
  }
  const stored: StoredImage[] = [];
  for (const image of report.images) {
    stored.push(await storeDatasetImage({
      originalName: image.relativePath,
      label: image.label,
      rgb: await image.loadRgb(),
      size: opts.size,
      mask: image.mask ?? null,
      // The original file's hash: identical files are one image, whatever the resizing does.
      contentHash: image.sha256,
    }));
  }
  // The scan already rejected repeated content by the original file's hash, which is each image's contentHash.
  const kept = stored;
  const skipped = [...(options.priorSkips ?? []), ...skipsOf(report)];
  const dataset = await createDatasetRows(
    {
      name: opts.name,
      modality: opts.modality,
      description: opts.description,
      classNames: [report.negativeClass, report.positiveClass],
      imageSize: opts.size,
      hasMasks: kept.some((im) => im.maskKey !== null),
      splitSeed: opts.splitSeed,
      source: options.source ?? root,
      createdById: opts.createdById,
    },
    kept,
    skipped,
    options.audit,
  );
  return { dataset, skipped, warnings: report.warnings, classes: report.classes };
}
