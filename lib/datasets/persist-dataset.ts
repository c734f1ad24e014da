// Writing a data set: pixels first (content-addressed PNGs in storage), rows last, in one transaction. A
// crash part-way leaves at most unreferenced files, never a Dataset or Image row pointing at a missing or
// half-written file, and never half a data set.
import { createHash } from "node:crypto";
import { db, Prisma, type Dataset, type Modality } from "@/lib/db/client";
import { ImageSplit } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";
import { importReportColumn, toJson, type ImportSkip } from "@/lib/db/json-columns";
import { putBytes } from "@/lib/storage/content-store";
import { encodeGrayPng, encodeRgbPng } from "@/lib/image-codec/encode-png";
import { stratifiedSplit } from "@/lib/ml/data/split";
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
  /** Identity used for de-duplication and for the seeded split; defaults to the SHA-256 of `rgb`. */
  contentHash?: string;
}

export interface StoredImage {
  originalName: string;
  label: 0 | 1;
  contentHash: string;
  width: number;
  height: number;
  fileKey: string;
  maskKey: string | null;
}

function datasetExistsError(name: string): DomainError {
  return DomainError.conflict(`A dataset named "${name}" already exists; choose another --name (datasets are never overwritten).`);
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
  return {
    originalName: image.originalName,
    label: image.label,
    contentHash: image.contentHash ?? sha256Hex(image.rgb),
    width: image.size,
    height: image.size,
    fileKey,
    maskKey,
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

/** Stratified 80/20 split keyed by content hash, so the same files and seed always give the same split. */
export function assignSplits(images: readonly StoredImage[], seed: number): ImageSplit[] {
  const { validationIndices } = stratifiedSplit(
    images.map((im) => ({ label: im.label, key: im.contentHash })),
    { seed, validationShare: 0.2 },
  );
  const validation = new Set(validationIndices);
  return images.map((_, i) => (validation.has(i) ? ImageSplit.VALIDATION : ImageSplit.TRAIN));
}

export interface DatasetMeta {
  name: string;
  modality: Modality;
  description?: string;
  classNames: [string, string];
  imageSize: number;
  hasMasks: boolean;
  splitSeed: number;
  source: string;
  createdById?: string;
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
 * Creates the Dataset (with its source and import report), all its Image rows and its audit event in one
 * transaction; files must already be stored.
 */
export async function createDatasetRows(meta: DatasetMeta, images: StoredImage[], skipped: ImportSkip[], audit?: DatasetAudit): Promise<Dataset> {
  const splits = assignSplits(images, meta.splitSeed);
  try {
    return await db().$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: {
          name: meta.name,
          modality: meta.modality,
          description: meta.description ?? "",
          classNames: meta.classNames,
          imageSize: meta.imageSize,
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
          data: images.slice(start, start + 1000).map((im, j) => ({ ...im, datasetId: dataset.id, split: splits[start + j] })),
        });
      }
      if (audit) {
        await recordAudit(audit.actorId, audit.action, dataset.id, { name: dataset.name, skipped: skipped.length, ...audit.details }, tx);
      }
      return dataset;
    }, { timeout: 120_000 });
  } catch (e) {
    if (isUniqueViolation(e)) throw datasetExistsError(meta.name);
    throw e;
  }
}
