// Writing a data set: pixels first (content-addressed PNGs in storage, and a display copy per image), rows last, in one transaction. A
// crash part-way leaves at most unreferenced files, never a Dataset or Image row pointing at a missing or
// half-written file, and never half a data set.
import { createHash } from "node:crypto";
import { db, Prisma, type Dataset, type ImageFit, type Modality } from "@/lib/db/client";
import { ImageSplit } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { importReportColumn, toJson, type ImportSkip } from "@/lib/db/json-columns";
import { putBytes } from "@/lib/storage/content-store";
import { encodeDisplayJpeg, encodeGrayPng, encodeRgbPng } from "@/lib/image-codec/encode-png";
import { stratifiedGroupSplit, stratifiedSplit } from "@/lib/ml/data/split";
import { recordAudit } from "@/lib/audit/audit";

export type { ImportSkip };

export interface DatasetImage {
  originalName: string;
  label: 0 | 1;
  /** Interleaved RGB, size * size * 3. */
  rgb: Uint8Array;
  size: number;
  /** Optional lesion mask, 1 inside, size * size. */
  mask?: Uint8Array | null;
  /** The display copy readers see (same crop, larger side); absent when the source is no larger than `size`. */
  display?: { rgb: Uint8Array; side: number } | null;
  /** Identity used for de-duplication and for the seeded split; defaults to the SHA-256 of `rgb`. */
  contentHash?: string;
  /** The split the source gave (split folders, split column). */
  givenSplit?: ImageSplit;
  /** Patient or lesion id: a group is never split across train and validation. */
  group?: string;
}

export interface StoredImage {
  originalName: string;
  label: 0 | 1;
  contentHash: string;
  width: number;
  height: number;
  fileKey: string;
  maskKey: string | null;
  displayKey: string | null;
  givenSplit?: ImageSplit;
  group?: string;
}

function datasetExistsError(name: string): DomainError {
  return DomainError.conflict(
    `A dataset named "${name}" already exists; choose another --name (datasets are never overwritten).`,
  );
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Images live under "img/", masks under "mask/", so the storage folder stays browsable by kind. */
export async function storeDatasetImage(image: DatasetImage): Promise<StoredImage> {
  const png = await encodeRgbPng(image.rgb, image.size, image.size);
  const fileKey = await putBytes(png, "png", "img");
  let maskKey: string | null = null;
  if (image.mask) {
    const gray = new Uint8Array(image.mask.length);
    for (let i = 0; i < gray.length; i++) gray[i] = image.mask[i] ? 255 : 0;
    maskKey = await putBytes(await encodeGrayPng(gray, image.size, image.size), "png", "mask");
  }
  // Re-encoded from pixels, so nothing of the source file's metadata (EXIF, DICOM attributes) survives.
  const displayKey = image.display
    ? await putBytes(await encodeDisplayJpeg(image.display.rgb, image.display.side, image.display.side), "jpg", "disp")
    : null;
  return {
    originalName: image.originalName,
    label: image.label,
    contentHash: image.contentHash ?? sha256Hex(image.rgb),
    width: image.size,
    height: image.size,
    fileKey,
    maskKey,
    displayKey,
    givenSplit: image.givenSplit,
    group: image.group,
  };
}

/** Drops repeated content (the first occurrence wins) and reports each repeat. */
export function dropDuplicates(images: StoredImage[]): { kept: StoredImage[]; skipped: ImportSkip[] } {
  const seen = new Map<string, string>();
  const kept: StoredImage[] = [];
  const skipped: ImportSkip[] = [];
  for (const image of images) {
    const first = seen.get(image.contentHash);
    if (first !== undefined) {
      skipped.push({ path: image.originalName, reason: `duplicate of ${first}` });
      continue;
    }
    seen.set(image.contentHash, image.originalName);
    kept.push(image);
  }
  return { kept, skipped };
}

export interface SplitPlan {
  splits: ImageSplit[];
  /** Report lines: how the split was made, groups per side, groups found on two sides of a given split. */
  notes: ImportSkip[];
}

function countGroups(images: readonly StoredImage[], splits: readonly ImageSplit[], split: ImageSplit): number {
  return new Set(images.filter((im, i) => splits[i] === split).map((im) => im.group ?? `#${im.contentHash}`)).size;
}

/**
 * Splits keyed by content hash, so the same files and seed always give the same split. A given test split is
 * always kept held out; a given validation split is kept unless `resplit`; whatever else remains is split
 * 80/20, stratified, keeping each group on one side.
 */
export function assignSplits(images: readonly StoredImage[], seed: number, resplit = false): SplitPlan {
  const notes: ImportSkip[] = [];
  const splits: ImageSplit[] = images.map((im) =>
    im.givenSplit === ImageSplit.TEST ? ImageSplit.TEST : ImageSplit.TRAIN,
  );
  const keepValidation = !resplit && images.some((im) => im.givenSplit === ImageSplit.VALIDATION);
  const grouped = images.some((im) => im.group !== undefined);
  if (keepValidation) {
    images.forEach((im, i) => {
      if (im.givenSplit === ImageSplit.VALIDATION) splits[i] = ImageSplit.VALIDATION;
    });
    notes.push({ path: "(split)", reason: "the given train/validation/test split is kept" });
  } else {
    const pool = images.map((_, i) => i).filter((i) => splits[i] !== ImageSplit.TEST);
    const items = pool.map((i) => ({ label: images[i].label, key: images[i].contentHash, group: images[i].group }));
    let validationIndices: number[];
    if (grouped) {
      try {
        validationIndices = stratifiedGroupSplit(items, { seed, validationShare: 0.2 }).validationIndices;
      } catch (e) {
        throw DomainError.invalid(
          `The grouped split cannot be stratified: ${e instanceof Error ? e.message : String(e)}.`,
        );
      }
    } else {
      validationIndices = stratifiedSplit(items, { seed, validationShare: 0.2 }).validationIndices;
    }
    for (const v of validationIndices) splits[pool[v]] = ImageSplit.VALIDATION;
    const given = images.some((im) => im.givenSplit !== undefined);
    // Plain class folders get today's split and no note; a note only where the source had a say.
    if (given || grouped)
      notes.push({
        path: "(split)",
        reason:
          `${given ? (resplit ? "re-split on request" : "no validation split given") + ": " : ""}train/validation split 80/20 ` +
          `stratified from seed ${seed}${grouped ? ", each group on one side" : ""}` +
          (splits.includes(ImageSplit.TEST) ? "; the given test split is kept" : ""),
      });
  }
  if (grouped) {
    const sides = [ImageSplit.TRAIN, ImageSplit.VALIDATION, ImageSplit.TEST].filter((s) => splits.includes(s));
    notes.push({
      path: "(groups)",
      reason: `groups per side: ${sides.map((s) => `${s.toLowerCase()} ${countGroups(images, splits, s)}`).join(", ")}`,
    });
    const sidesOf = new Map<string, Set<ImageSplit>>();
    images.forEach((im, i) => {
      if (im.group !== undefined) sidesOf.set(im.group, (sidesOf.get(im.group) ?? new Set()).add(splits[i]));
    });
    const leaking = [...sidesOf]
      .filter(([, s]) => s.size > 1)
      .map(([g]) => g)
      .sort();
    if (leaking.length) {
      notes.push({
        path: "(groups)",
        reason:
          `leakage: ${leaking.length} group(s) have images on more than one side of the given split ` +
          `(${leaking.slice(0, 10).join(", ")}${leaking.length > 10 ? ", ..." : ""}); re-split to keep each group on one side`,
      });
    }
  }
  return { splits, notes };
}

export interface DatasetMeta {
  name: string;
  modality: Modality;
  description?: string;
  classNames: [string, string];
  imageSize: number;
  /** Default COVER (centre crop). */
  imageFit?: ImageFit;
  hasMasks: boolean;
  splitSeed: number;
  source: string;
  createdById?: string;
  /** Ignore a given validation split and split train + validation again (a given test split stays). */
  resplit?: boolean;
}

export async function assertDatasetNameFree(name: string): Promise<void> {
  const existing = await db().dataset.findUnique({ where: { name }, select: { id: true } });
  if (existing) throw datasetExistsError(name);
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

/** The audit event of an import, written in the transaction that creates the data set (subject: its id). */
export interface DatasetAudit {
  actorId: string;
  action: string;
  details: Record<string, Prisma.InputJsonValue>;
}

/**
 * Creates the Dataset (with its source and import report: skipped files, then notes), all its Image rows and its
 * audit event in one transaction; files must already be stored.
 */
export async function createDatasetRows(
  meta: DatasetMeta,
  images: StoredImage[],
  reported: ImportSkip[],
  audit?: DatasetAudit,
  importNotes: ImportSkip[] = [],
): Promise<Dataset> {
  const { splits, notes } = assignSplits(images, meta.splitSeed, meta.resplit);
  // Skipped files, then how the split was made and the import's other findings (leakage, masks, labels).
  const skipped = [...reported, ...notes, ...importNotes];
  try {
    return await db().$transaction(
      async (tx) => {
        const dataset = await tx.dataset.create({
          data: {
            name: meta.name,
            modality: meta.modality,
            description: meta.description ?? "",
            classNames: meta.classNames,
            imageSize: meta.imageSize,
            imageFit: meta.imageFit,
            hasMasks: meta.hasMasks,
            splitSeed: meta.splitSeed,
            source: meta.source,
            importReport: toJson(importReportColumn.write, skipped),
            createdById: meta.createdById,
          },
        });
        // Chunks keep each INSERT well under Postgres' 65,535 bind-parameter limit.
        for (let start = 0; start < images.length; start += 1000) {
          await tx.image.createMany({
            data: images.slice(start, start + 1000).map((im, j) => ({
              originalName: im.originalName,
              label: im.label,
              contentHash: im.contentHash,
              width: im.width,
              height: im.height,
              fileKey: im.fileKey,
              maskKey: im.maskKey,
              displayKey: im.displayKey,
              datasetId: dataset.id,
              split: splits[start + j],
            })),
          });
        }
        if (audit) {
          await recordAudit(
            audit.actorId,
            audit.action,
            dataset.id,
            { name: dataset.name, skipped: reported.length, ...audit.details },
            tx,
          );
        }
        return dataset;
      },
      { timeout: 120_000 },
    );
  } catch (e) {
    if (isUniqueViolation(e)) throw datasetExistsError(meta.name);
    throw e;
  }
}
