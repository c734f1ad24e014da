// Import of a labelled image folder (root/<class>/*.png|jpg, optional root/masks/) as a dataset: the scan
// (lib/ml/data/folder-import.ts) decides what is accepted; here every accepted image is stored as a resized
// RGB PNG, with its mask when one matched, and the rows are written with a stratified 80/20 split.
// Every caller says how far it may reach (FolderAccess): the web app only under the import roots.
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Dataset } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { db, ImageFit, ImageSplit } from "@/lib/db/client";
import { scanImageFolder, type ImportReport, type ImportWarning, type LabelMapping } from "@/lib/ml/data/folder-import";
import { parseLabelTable } from "@/lib/ml/data/label-table";
import { mapPool } from "@/lib/ml/data/bounded-pool";
import { importFolderInputSchema, valueList, type ImportFolderInput } from "./dataset-inputs";
import { confineFileToImportRoots, confineToImportRoots, type FolderAccess } from "./import-roots";
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
  /** Files not imported, with the reason (stored in Dataset.importReport, followed by the import's notes). */
  skipped: ImportSkip[];
  warnings: ImportWarning[];
  classes: ImportReport["classes"];
  layout: ImportReport["layout"];
}

export function skipsOf(report: ImportReport): ImportSkip[] {
  return report.rejected.map((r) => ({ path: r.relativePath, reason: `${r.reason}: ${r.detail}` }));
}

/** Report lines beyond single skipped files: label values in neither set, masks without image and vice versa. */
export function notesOf(report: ImportReport): ImportSkip[] {
  const notes: ImportSkip[] = [];
  for (const s of report.skippedLabels)
    notes.push({ path: "(labels)", reason: `${s.rows} row(s) with label "${s.value}" (in neither class set) skipped` });
  if (report.masks) {
    for (const m of report.masks.unmatched) notes.push({ path: m, reason: "mask without image" });
    if (report.masks.matched > 0)
      for (const i of report.masks.imagesWithoutMask) notes.push({ path: i, reason: "image without mask" });
    for (const m of report.masks.thresholded)
      notes.push({ path: m, reason: "mask not binary: thresholded at half its maximum" });
  }
  for (const w of report.warnings)
    if (w.message.startsWith("leakage:")) notes.push({ path: w.relativePath, reason: w.message });
  return notes;
}

/** How non-square images were made square, how many lesions a crop may have cut, and a DICOM window given. */
export function fitNotesOf(report: ImportReport, window?: { center: number; width: number }): ImportSkip[] {
  const notes: ImportSkip[] = [];
  if (window && report.images.some((i) => i.format === "dicom"))
    notes.push({
      path: "(dicom)",
      reason: `VOI window given at import: center ${window.center}, width ${window.width}`,
    });
  const nonSquare = report.images.filter((i) => i.originalWidth !== i.originalHeight).length;
  // Square images come out the same either way: no line for them.
  if (nonSquare === 0) return notes;
  notes.push({
    path: "(fit)",
    reason:
      report.fit === "cover"
        ? `cover: non-square images centre-cropped to a square (${nonSquare} image(s) not square)`
        : `contain: non-square images padded to a square with black (${nonSquare} image(s) not square)`,
  });
  if (report.fit === "cover" && report.masks && report.masks.matched > 0)
    notes.push({
      path: "(fit)",
      reason: `${report.masksTouchingCropEdge.length} image(s) whose lesion mask touches the crop edge (part of the lesion may be cut off; --fit contain keeps it)`,
    });
  for (const m of report.masksTouchingCropEdge) notes.push({ path: m, reason: "lesion mask touches the crop edge" });
  return notes;
}

type ParsedFolderInput = ReturnType<typeof importFolderInputSchema.parse>;

/** Reads the label table named by the input; under import roots it must lie inside them too. */
export async function labelMappingOf(
  opts: ParsedFolderInput,
  root: string,
  access: FolderAccess,
): Promise<LabelMapping | undefined> {
  if (opts.labels === undefined) return undefined;
  const wanted = isAbsolute(opts.labels) ? opts.labels : join(root, opts.labels);
  const path = access.scope === "import-roots" ? await confineFileToImportRoots(wanted, access.roots) : resolve(wanted);
  const bytes = await readFile(/* turbopackIgnore: true */ path).catch(() => {
    throw DomainError.invalid(`Label table not found or unreadable: ${opts.labels}`);
  });
  const inside = relative(root, path);
  const fileName =
    inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside.split("\\").join("/") : opts.labels;
  return {
    table: parseLabelTable(bytes, fileName),
    fileName,
    imageColumn: opts.imageColumn!,
    labelColumn: opts.labelColumn!,
    positive: valueList(opts.positive),
    negative: valueList(opts.negative!),
    splitColumn: opts.splitColumn,
    groupColumn: opts.groupColumn,
    maskColumn: opts.maskColumn,
  };
}

/** Warns when this content is already stored in another dataset (a re-import under another name). */
async function reimportWarnings(hashes: string[]): Promise<ImportWarning[]> {
  if (hashes.length === 0) return [];
  const rows = await db().image.groupBy({
    by: ["datasetId"],
    where: { contentHash: { in: hashes } },
    _count: { _all: true },
  });
  if (rows.length === 0) return [];
  const names = await db().dataset.findMany({
    where: { id: { in: rows.map((r) => r.datasetId) } },
    select: { id: true, name: true },
  });
  return rows.map((r) => ({
    relativePath: "",
    message: `${r._count._all} of these images are already in dataset "${names.find((n) => n.id === r.datasetId)?.name ?? r.datasetId}"`,
  }));
}

/** Images stored at once: mostly waiting on fsync, so more than the cores; bounded so memory stays small. */
const STORE_CONCURRENCY = Math.max(4, 2 * availableParallelism());

const SPLIT_OF = { TRAIN: ImageSplit.TRAIN, VALIDATION: ImageSplit.VALIDATION, TEST: ImageSplit.TEST } as const;

export async function importFolderDataset(
  input: ImportFolderInput,
  access: FolderAccess,
  options: FolderImportOptions = {},
): Promise<FolderImportResult> {
  const opts = importFolderInputSchema.parse(input);
  // Before anything is read: a refusal must not depend on, or tell, what the folder holds.
  const root =
    access.scope === "import-roots" ? await confineToImportRoots(opts.folder, access.roots) : resolve(opts.folder);
  // Before the scan, which can take minutes on a large folder.
  await assertDatasetNameFree(opts.name);
  // Pixels are decoded again per image when stored rather than all held in memory at once.
  const labels = await labelMappingOf(opts, root, access);
  const report = await scanImageFolder(root, {
    positive: opts.positive,
    size: opts.size,
    keepPixels: false,
    labels,
    groupPattern: opts.groupPattern === undefined ? undefined : new RegExp(opts.groupPattern),
    maskPattern: opts.maskPattern,
    fit: opts.fit,
    window: opts.window,
  });
  for (const c of report.classes) {
    // Both sides of the split need both classes (a validation AUC is undefined otherwise).
    if (c.accepted < 2) {
      const reasons = skipsOf(report)
        .filter((s) => s.path.includes(`${c.name}/`))
        .slice(0, 5)
        .map((s) => `${s.path}: ${s.reason}`);
      throw DomainError.invalid(
        `Class "${c.name}" has ${c.accepted} usable image(s); at least 2 per class are needed.${reasons.length ? ` Skipped: ${reasons.join("; ")}` : ""}`,
      );
    }
  }
  // Decoding, encoding and the fsync of each stored file overlap across images; rows keep the scan's order.
  const stored: StoredImage[] = await mapPool(report.images, STORE_CONCURRENCY, async (image) =>
    storeDatasetImage({
      originalName: image.relativePath,
      label: image.label,
      rgb: await image.loadRgb(),
      size: opts.size,
      display: await image.loadDisplay(),
      mask: image.mask ?? null,
      // The original file's hash: identical files are one image, whatever the resizing does.
      contentHash: image.sha256,
      givenSplit: image.split === undefined ? undefined : SPLIT_OF[image.split],
      group: image.group,
    }),
  );
  // The scan already rejected repeated content by the original file's hash, which is each image's contentHash.
  const kept = stored;
  const skipped = [...(options.priorSkips ?? []), ...skipsOf(report)];
  const reimports = await reimportWarnings(kept.map((k) => k.contentHash));
  const warnings = [...report.warnings, ...reimports];
  const notes = [
    ...fitNotesOf(report, opts.window),
    ...notesOf(report),
    ...reimports.map((w) => ({ path: "(re-import)", reason: w.message })),
  ];
  const dataset = await createDatasetRows(
    {
      name: opts.name,
      modality: opts.modality,
      description: opts.description,
      classNames: [report.negativeClass, report.positiveClass],
      imageSize: opts.size,
      imageFit: opts.fit === "contain" ? ImageFit.CONTAIN : ImageFit.COVER,
      hasMasks: kept.some((im) => im.maskKey !== null),
      splitSeed: opts.splitSeed,
      source: options.source ?? root,
      createdById: opts.createdById,
      resplit: opts.resplit,
    },
    kept,
    skipped,
    options.audit,
    notes,
  );
  return { dataset, skipped, warnings, classes: report.classes, layout: report.layout };
}
