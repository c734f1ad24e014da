// Reads one split of a dataset back as training tensors' raw material: RGB bytes at the run's input size.
import { db, type ImageSplit } from "@/lib/db/client";
import { getBytes } from "@/lib/storage/content-store";
import { decodeRgb } from "@/lib/image-codec/decode";

export interface LoadedSplit {
  /** Each image RGB uint8, inputSize * inputSize * 3, NHWC (the trainer's LabelledImages). */
  images: Uint8Array[];
  labels: number[];
  imageIds: string[];
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
