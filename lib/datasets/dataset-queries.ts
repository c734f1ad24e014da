// Look-ups by the names researchers type (CLI) rather than ids.
import { db, type Dataset } from "@/lib/db/client";
import { DomainError } from "@/lib/errors/domain-error";


export async function findDatasetByName(name: string): Promise<Dataset> {
  const dataset = await db().dataset.findUnique({ where: { name } });
  if (!dataset) {
    const known = (await db().dataset.findMany({ select: { name: true }, orderBy: { createdAt: "desc" }, take: 10 })).map((d) => d.name);
    throw DomainError.notFound(`No dataset named "${name}".${known.length ? ` Known: ${known.join(", ")}` : " Import one with dataset:import or dataset:synthetic."}`);
  }
  return dataset;
}

export async function splitCounts(datasetId: string): Promise<{ split: string; label: number; count: number }[]> {
  const rows = await db().image.groupBy({ by: ["split", "label"], where: { datasetId }, _count: { _all: true }, orderBy: [{ split: "asc" }, { label: "asc" }] });
  return rows.map((r) => ({ split: r.split, label: r.label, count: r._count._all }));
}
