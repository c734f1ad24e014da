// Reads one split of a dataset back as training tensors' raw material: RGB bytes at the run's input size.
import sharp from "sharp";
import { db, type ImageSplit } from "@/lib/db/client";
import { getBytes } from "@/lib/storage/content-store";

export interface LoadedSplit {
  /** Each image RGB uint8, inputSize * inputSize * 3, NHWC (the trainer's LabelledImages). */
  images: Uint8Array[];
  labels: number[];
  imageIds: string[];
}

/** Decodes a stored PNG to interleaved RGB at `side` x `side`; resizes only when the stored side differs. */
export async function decodeRgb(png: Uint8Array, side: number): Promise<Uint8Array> {
  let pipeline = sharp(png).removeAlpha().toColourspace("srgb");
  const meta = await sharp(png).metadata();
  if (meta.width !== side || meta.height !== side) pipeline = pipeline.resize(side, side, { fit: "fill", kernel: "lanczos3" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes a stored mask PNG (0/255) to 0/1 at `side` x `side` (nearest neighbour keeps it binary). */
export async function decodeMask(png: Uint8Array, side: number): Promise<Uint8Array> {
  const { data } = await sharp(png)
    .extractChannel(0)
    .resize(side, side, { fit: "fill", kernel: "nearest" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(side * side);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i] >= 128 ? 1 : 0;
  return mask;
}

/**
 * Images of one split ordered by content hash: the order does not depend on insertion order, so a resumed
 * run sees the same sequence as the attempt it resumes.
 */
export async function loadSplit(datasetId: string, split: ImageSplit, inputSize: number): Promise<LoadedSplit> {
  const rows = await db().image.findMany({
    where: { datasetId, split },
    orderBy: { contentHash: "asc" },
    select: { id: true, label: true, fileKey: true },
  });
  const images: Uint8Array[] = [];
  for (const row of rows) images.push(await decodeRgb(await getBytes(row.fileKey), inputSize));
  return { images, labels: rows.map((r) => r.label), imageIds: rows.map((r) => r.id) };
}
