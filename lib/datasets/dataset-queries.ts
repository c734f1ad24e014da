// Read models of datasets: look-ups by the names researchers type (CLI), and the researcher console's list,
// overview and per-class gallery. Plain serialisable objects, so pages can hand them to client components.
import { db, type Dataset, type ImageSplit, type Modality } from "@/lib/db/client";
import { importReportColumn, type ImportSkip } from "@/lib/db/json-columns";
import { DomainError } from "@/lib/errors/domain-error";

export async function findDatasetByName(name: string): Promise<Dataset> {
  const dataset = await db().dataset.findUnique({ where: { name } });
  if (!dataset) {
    const known = (
      await db().dataset.findMany({ select: { name: true }, orderBy: { createdAt: "desc" }, take: 10 })
    ).map((d) => d.name);
    throw DomainError.notFound(
      `No dataset named "${name}".${known.length ? ` Known: ${known.join(", ")}` : " Import one with dataset:import or dataset:synthetic."}`,
    );
  }
  return dataset;
}

export async function splitCounts(datasetId: string): Promise<{ split: string; label: number; count: number }[]> {
  const rows = await db().image.groupBy({
    by: ["split", "label"],
    where: { datasetId },
    _count: { _all: true },
    orderBy: [{ split: "asc" }, { label: "asc" }],
  });
  return rows.map((r) => ({ split: r.split, label: r.label, count: r._count._all }));
}

export interface DatasetRow {
  id: string;
  name: string;
  modality: Modality;
  classNames: string[];
  /** Images per label: [negative, positive]. */
  classCounts: [number, number];
  splitCounts: Record<ImageSplit, number>;
  images: number;
  /** Images that have a lesion mask. */
  masks: number;
  imageSize: number;
  runs: number;
  createdAt: string;
}

type CountRow = { datasetId: string; split: ImageSplit; label: number; masked: boolean; count: number };

async function imageCounts(datasetIds: string[]): Promise<CountRow[]> {
  if (datasetIds.length === 0) return [];
  const rows = await db().image.groupBy({
    by: ["datasetId", "split", "label"],
    where: { datasetId: { in: datasetIds } },
    _count: { _all: true, maskKey: true },
  });
  // _count.maskKey counts non-null masks; turn each group into a masked and an unmasked part.
  return rows.flatMap((r) => [
    { datasetId: r.datasetId, split: r.split, label: r.label, masked: true, count: r._count.maskKey },
    { datasetId: r.datasetId, split: r.split, label: r.label, masked: false, count: r._count._all - r._count.maskKey },
  ]);
}

function rowOf(
  d: { id: string; name: string; modality: Modality; classNames: string[]; imageSize: number; createdAt: Date },
  counts: CountRow[],
  runs: number,
): DatasetRow {
  const mine = counts.filter((c) => c.datasetId === d.id);
  const sum = (pred: (c: CountRow) => boolean) => mine.filter(pred).reduce((a, c) => a + c.count, 0);
  return {
    id: d.id,
    name: d.name,
    modality: d.modality,
    classNames: d.classNames,
    classCounts: [sum((c) => c.label === 0), sum((c) => c.label === 1)],
    splitCounts: {
      TRAIN: sum((c) => c.split === "TRAIN"),
      VALIDATION: sum((c) => c.split === "VALIDATION"),
      TEST: sum((c) => c.split === "TEST"),
    },
    images: sum(() => true),
    masks: sum((c) => c.masked),
    imageSize: d.imageSize,
    runs,
    createdAt: d.createdAt.toISOString(),
  };
}

async function runCounts(datasetIds: string[]): Promise<Map<string, number>> {
  const jobs = await db().trainingJob.findMany({
    where: { datasetId: { in: datasetIds } },
    select: { datasetId: true, _count: { select: { runs: true } } },
  });
  const out = new Map<string, number>();
  for (const j of jobs) out.set(j.datasetId, (out.get(j.datasetId) ?? 0) + j._count.runs);
  return out;
}

export async function listDatasets(): Promise<DatasetRow[]> {
  const datasets = await db().dataset.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, modality: true, classNames: true, imageSize: true, createdAt: true },
  });
  const ids = datasets.map((d) => d.id);
  const [counts, runs] = await Promise.all([imageCounts(ids), runCounts(ids)]);
  return datasets.map((d) => rowOf(d, counts, runs.get(d.id) ?? 0));
}

export interface DatasetOverview extends DatasetRow {
  description: string;
  source: string;
  splitSeed: number;
  /** How non-square images were made square at import. */
  imageFit: "cover" | "contain";
  importReport: ImportSkip[];
}

export async function datasetOverview(id: string): Promise<DatasetOverview | null> {
  const d = await db().dataset.findUnique({ where: { id } });
  if (!d) return null;
  const [counts, runs] = await Promise.all([imageCounts([id]), runCounts([id])]);
  const importReport = importReportColumn.read.parse(d.importReport);
  return {
    ...rowOf(d, counts, runs.get(id) ?? 0),
    description: d.description,
    source: d.source,
    splitSeed: d.splitSeed,
    imageFit: d.imageFit === "CONTAIN" ? "contain" : "cover",
    importReport,
  };
}

export interface GalleryClass {
  label: number;
  className: string;
  total: number;
  images: { id: string; originalName: string; split: ImageSplit; hasMask: boolean }[];
}

/** The first `perClass` images of each class, in a stable order (content hash). */
export async function classGallery(datasetId: string, classNames: string[], perClass = 24): Promise<GalleryClass[]> {
  return Promise.all(
    classNames.map(async (className, label) => {
      const where = { datasetId, label };
      const [total, images] = await Promise.all([
        db().image.count({ where }),
        db().image.findMany({
          where,
          orderBy: { contentHash: "asc" },
          take: perClass,
          select: { id: true, originalName: true, split: true, maskKey: true },
        }),
      ]);
      return {
        label,
        className,
        total,
        images: images.map(({ maskKey, ...im }) => ({ ...im, hasMask: maskKey !== null })),
      };
    }),
  );
}
