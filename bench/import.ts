// `npm run bench:import`: imports generated 224-px JPEGs laid out in split folders (train/val/test/<class>/)
// with a label table (image id without extension, label, split, patient), through the same importFolderDataset
// the CLI and the web app use, into a fresh database and a temporary storage folder. Prints images/s of the
// import alone (generating the files is not timed). Target: >= 150 images/s on the project's 2-core machine.
//
//   npm run bench:import [-- --images 5000 --size 224 --json]
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { createTestDatabase } from "../harness/test-database";
import { machineInfo } from "./load/machine";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "5000" },
    size: { type: "string", default: "224" },
    json: { type: "boolean", default: false },
  },
});
const count = Number(values.images);
const side = Number(values.size);
const log = (line: string) => {
  if (!values.json) console.log(line);
};

/** A distinct JPEG per index: a coarse seeded pattern scaled up, like a photograph's low frequencies. */
async function jpegOf(i: number): Promise<Buffer> {
  const coarse = Buffer.alloc(8 * 8 * 3);
  let state = Math.imul(i + 1, 2654435761) >>> 0;
  for (let p = 0; p < coarse.length; p++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    coarse[p] = state >>> 24;
  }
  return sharp(coarse, { raw: { width: 8, height: 8, channels: 3 } })
    .resize(side, side, { kernel: "cubic" })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const SPLITS = [
  { folder: "train", share: 0.7 },
  { folder: "val", share: 0.15 },
  { folder: "test", share: 0.15 },
];

const dir = await mkdtemp(join(tmpdir(), "focus-bench-import-"));
const root = join(dir, "set");
const tdb = await createTestDatabase();
process.env.DATABASE_URL = tdb.url;
process.env.FOCUS_STORAGE_DIR = join(dir, "storage");
// The import needs no session secret, but the one environment schema requires it of every server process.
process.env.NEXTAUTH_SECRET ??= "bench-import-".padEnd(40, "x");
try {
  log(`Writing ${count} ${side}-px JPEGs in split folders with a label table…`);
  const rows = ["image_id,dx,split,patient"];
  const generated = Date.now();
  for (let i = 0; i < count; i++) {
    const position = i / count;
    const split = position < 0.7 ? SPLITS[0] : position < 0.85 ? SPLITS[1] : SPLITS[2];
    const cls = i % 2 ? "malignant" : "benign";
    const folder = join(root, split.folder, cls);
    await mkdir(folder, { recursive: true });
    const id = `case_${String(i).padStart(5, "0")}`;
    await writeFile(join(folder, `${id}.jpg`), await jpegOf(i));
    rows.push(`${id},${cls === "malignant" ? "mel" : "nv"},${split.folder},p${Math.floor(i / 4)}`);
  }
  await writeFile(join(root, "labels.csv"), rows.join("\n") + "\n");
  log(`  written in ${((Date.now() - generated) / 1000).toFixed(1)} s`);

  const { importFolderDataset } = await import("@/lib/datasets/import-folder");
  const { disconnectDb } = await import("@/lib/db/client");
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await importFolderDataset(
    {
      folder: root,
      name: "bench-import",
      positive: "mel",
      negative: "nv",
      labels: "labels.csv",
      imageColumn: "image_id",
      labelColumn: "dx",
      splitColumn: "split",
      groupColumn: "patient",
      size: side,
    },
    { scope: "any-path" },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const imported = result.classes.reduce((a, c) => a + c.accepted, 0);
  await disconnectDb();
  const figures = {
    kind: "import",
    at: new Date().toISOString(),
    machine: machineInfo(),
    images: imported,
    /** Files the import reported instead of storing (0 when the generator made every image distinct). */
    skipped: result.skipped.length,
    size: side,
    seconds: Number(seconds.toFixed(2)),
    imagesPerSecond: Number((imported / seconds).toFixed(1)),
    cpuSecondsPerImage: Number(((cpu.user + cpu.system) / 1e6 / imported).toFixed(4)),
    target: 150,
  };
  if (values.json) console.log(JSON.stringify(figures));
  else {
    console.log(`Imported ${imported} images in ${seconds.toFixed(1)} s: ${figures.imagesPerSecond} images/s`);
    for (const s of result.skipped.slice(0, 5)) console.log(`  skipped ${s.path}: ${s.reason}`);
    console.log(`  (main process CPU ${figures.cpuSecondsPerImage} s per image; target >= ${figures.target} images/s)`);
  }
} finally {
  await tdb.drop();
  await rm(dir, { recursive: true, force: true });
}
