// `npm run bench`: the training + Grad-CAM benchmark (bench/train.ts), the paper-size step (bench/train.ts
// --size 224 --width 1 at batch 16 and 64) and the load benchmark (bench/load.ts), one after the other (each
// needs the machine to itself), then bench/results.json and the Markdown table docs/benchmarks.md, both
// naming the machine the figures came from.
//
//   npm run bench                      # all (the load bench needs DATABASE_URL or starts an embedded server)
//   npm run bench -- --quick           # bench:train --quick
//   npm run bench -- --skip-train      # or --skip-paper, --skip-load, --skip-import; a skipped part is taken from the last results file
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { machineInfo, type MachineInfo } from "./load/machine";
import type { LoadResult } from "./load";

interface TrainFigures {
  backend: string;
  quick: boolean;
  train: { variant: string; width: number; size: number; batch: number; msPerStep: number; imagesPerSecond: number }[];
  gradcam: { variant: string; width: number; size: number; msPerImage: number }[];
  torch: { width: number; imagesPerSecond: number | null; note: string }[];
}

/** One `bench/train.ts --size … --json` line: a configuration with PyTorch on 1 and N threads. */
export interface PaperFigures {
  backend: string;
  threads: number | null;
  loadAverage: { start: number; end: number };
  train: {
    variant: string;
    width: number;
    size: number;
    batch: number;
    threads: number | null;
    msPerStep: number;
    imagesPerSecond: number;
    cpuSecondsPerStep: number;
    peakRssBytes: number;
    microBatchPlan: { text: string; source: string };
  }[];
  torch: {
    threads: number;
    imagesPerSecond: number | null;
    cpuSecondsPerStep: number | null;
    peakRssBytes: number | null;
    note: string;
    ratioBackendOverTorch: number | null;
  }[];
}

export interface BenchResults {
  at: string;
  machine: MachineInfo;
  train: (TrainFigures & { at: string; machine: MachineInfo }) | null;
  paper?: (PaperFigures & { at: string; machine: MachineInfo })[] | null;
  load: LoadResult | null;
  import?: ImportFigures | null;
}

/** One `bench/import.ts --json` line. */
export interface ImportFigures {
  at: string;
  machine: MachineInfo;
  images: number;
  skipped: number;
  size: number;
  seconds: number;
  imagesPerSecond: number;
  cpuSecondsPerImage: number;
  target: number;
}

function runImportBench(): ImportFigures {
  console.log("== bench:import ==");
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/import.ts", "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = r.stdout.trim().split("\n").at(-1);
  if (r.status !== 0 || !line) throw new Error(`bench/import.ts exited with ${r.status}`);
  return JSON.parse(line) as ImportFigures;
}

/** The paper's step (224 px, full width) at the batch the issue's throughput target names and at the paper's. */
const PAPER_BATCHES = [16, 64];

const RESULTS = "bench/results.json";
const LOAD_RESULTS = "bench/results-load.json";

function previous(): Partial<BenchResults> {
  return existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults) : {};
}

function runTrainBench(quick: boolean): BenchResults["train"] {
  console.log("== bench:train ==");
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/train.ts", ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  process.stdout.write(r.stdout ?? "");
  if (r.status !== 0) throw new Error(`bench/train.ts exited with ${r.status}`);
  const json = (r.stdout ?? "")
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (!json) throw new Error("bench/train.ts printed no JSON line");
  return { ...(JSON.parse(json) as TrainFigures), at: new Date().toISOString(), machine: machineInfo() };
}

function runPaperBench(): (PaperFigures & { at: string; machine: MachineInfo })[] {
  return PAPER_BATCHES.map((batch) => {
    console.log(`== bench:train -- --size 224 --width 1 --batch ${batch} ==`);
    const argv = [
      "--import",
      "tsx",
      "bench/train.ts",
      "--size",
      "224",
      "--width",
      "1",
      "--batch",
      String(batch),
      "--json",
    ];
    const r = spawnSync(process.execPath, argv, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`bench/train.ts --batch ${batch} exited with ${r.status}`);
    const json = (r.stdout ?? "")
      .trim()
      .split("\n")
      .reverse()
      .find((l) => l.startsWith("{"));
    if (!json) throw new Error("bench/train.ts printed no JSON line");
    return { ...(JSON.parse(json) as PaperFigures), at: new Date().toISOString(), machine: machineInfo() };
  });
}

const gb = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 1e9).toFixed(2)} GB`);

/** The paper-size section: ours beside PyTorch on 1 and N threads, measured in the same run. */
export function paperMarkdown(paper: (PaperFigures & { at: string; machine: MachineInfo })[]): string[] {
  const out = ["## Paper size: 224 px, full width (`npm run bench:train -- --size 224 --width 1 --batch 64`)", ""];
  const first = paper[0];
  if (!first) return [];
  out.push(
    `${first.at.slice(0, 10)} on ${first.machine.cores} × ${first.machine.cpuModel}; TF.js backend \`${first.backend}\` with ${first.threads ?? "its own"} kernel thread(s). ` +
      "Each line is one run of the command: our step (median of its steps), then PyTorch 1.13's same ResNet-18 step on 1 and on as many threads, with the ratio ours / PyTorch. " +
      "CPU s / step is the process's CPU time (all threads) per step: on a shared machine it shows what a step costs when the wall clock does not.",
    "",
    "| batch | micro-batches | images / s | ms / step | CPU s / step | peak RSS | PyTorch 1 thread | PyTorch N threads | ours / PyTorch N | load average |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const p of paper) {
    for (const t of p.train) {
      const one = p.torch.find((x) => x.threads === 1);
      const n = [...p.torch].reverse().find((x) => x.threads === (p.threads ?? x.threads)) ?? one;
      const torch = (x: typeof one) =>
        x?.imagesPerSecond
          ? `${f1(x.imagesPerSecond)} img/s, ${x.cpuSecondsPerStep?.toFixed(1) ?? "–"} CPU s, ${gb(x.peakRssBytes)}`
          : (x?.note ?? "–");
      const ratio = n?.ratioBackendOverTorch ? n.ratioBackendOverTorch.toFixed(2) : "–";
      out.push(
        `| ${t.batch} | ${t.microBatchPlan.text} | ${f1(t.imagesPerSecond)} | ${t.msPerStep.toFixed(0)} | ${t.cpuSecondsPerStep.toFixed(1)} | ${gb(t.peakRssBytes)} | ` +
          `${torch(one)} | ${torch(n)} (${n?.threads ?? "?"}) | ${ratio} | ${p.loadAverage.start.toFixed(1)} → ${p.loadAverage.end.toFixed(1)} |`,
      );
    }
  }
  out.push("");
  return out;
}

function runLoadBench(): LoadResult {
  console.log("== bench:load ==");
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/load.ts", "--out", LOAD_RESULTS], {
    stdio: "inherit",
  });
  if (!existsSync(LOAD_RESULTS)) throw new Error(`bench/load.ts exited with ${r.status} and wrote no results`);
  return JSON.parse(readFileSync(LOAD_RESULTS, "utf8")) as LoadResult;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");

export function benchmarksMarkdown(r: BenchResults): string {
  const m = (x: MachineInfo) =>
    `${x.cores} × ${x.cpuModel}, ${x.ramGiB} GiB RAM, Node ${x.node}, ${x.platform}; load average ${x.loadAverage1m ?? "?"} at the start`;
  const out = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run-all.ts); raw figures in `bench/results.json`.",
    "",
  ];
  if (r.train) {
    out.push(
      "## Training and Grad-CAM (`npm run bench:train`)",
      "",
      `${r.train.at.slice(0, 10)} on ${m(r.train.machine)}; TF.js backend \`${r.train.backend}\`${r.train.quick ? " (quick run)" : ""}.`,
      "",
    );
    out.push(
      "| variant | width | input px | batch | ms / step | images / s |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const t of r.train.train)
      out.push(
        `| ${t.variant} | ${t.width} | ${t.size} | ${t.batch} | ${t.msPerStep.toFixed(0)} | ${f1(t.imagesPerSecond)} |`,
      );
    out.push("", "| Grad-CAM variant | width | input px | ms / image |", "| --- | --- | --- | --- |");
    for (const g of r.train.gradcam) out.push(`| ${g.variant} | ${g.width} | ${g.size} | ${f1(g.msPerImage)} |`);
    for (const t of r.train.torch) {
      const ours = r.train.train.find((f) => f.variant === "baseline" && f.width === t.width);
      const ratio =
        t.imagesPerSecond && ours
          ? `; ${r.train.backend} / PyTorch = ${(ours.imagesPerSecond / t.imagesPerSecond).toFixed(2)} (target ≥ 0.5)`
          : "";
      out.push(
        "",
        `PyTorch (baseline, width ${t.width}, one thread): ${t.imagesPerSecond === null ? t.note : `${f1(t.imagesPerSecond)} images/s${ratio}`}`,
      );
    }
    out.push("");
  }
  if (r.paper?.length) out.push(...paperMarkdown(r.paper));
  if (r.load) {
    const l = r.load;
    out.push("## Load (`npm run bench:load`)", "");
    out.push(
      `${l.at.slice(0, 10)} on ${m(l.machine)}. ${l.config.readers} readers at once on a ${l.config.cases}-case, ${l.config.arms}-arm study (production build, PostgreSQL on localhost, app pool ${l.config.dbPool} connections); each reader opens a case page, fetches its ${l.config.arms + 1} images, autosaves ${l.config.draftsPerCase} drafts and submits, pausing ${l.config.thinkMs} ms ± 50 % between actions; ${l.config.rampMs ? `first requests spread over ${l.config.rampMs} ms` : `all ${l.config.readers} start in the same instant (so the first case page meets a burst of 200 renders and 1,000 image requests)`}. ${l.totalRequests} requests in ${l.durationS} s (${l.requestsPerSecond} requests/s).`,
      "",
    );
    out.push(
      "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | target p95 |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const e of l.endpoints) {
      const t = l.targets.find((x) => x.endpoint === e.endpoint);
      out.push(
        `| ${e.endpoint} | ${e.requests} | ${e.requestsPerSecond} | ${e.p50} | ${e.p95} | ${e.p99} | ${e.errors} | ${t ? `< ${t.targetP95} ms: ${t.met ? "met" : "**not met**"}` : "–"} |`,
      );
    }
    const a = l.answers;
    out.push(
      "",
      `Answers afterwards: ${a.found} stored for ${a.expected} acknowledged; missing ${a.missing}, duplicated ${a.duplicated}, wrong arm ${a.wrongArm}. Sign-in through the invitation link: p50 ${l.signIn.p50} ms, p95 ${l.signIn.p95} ms.`,
      "",
    );
  }
  if (r.import) {
    const i = r.import;
    out.push(
      "## Import (`npm run bench:import`)",
      "",
      `${i.at.slice(0, 10)} on ${m(i.machine)}. ${i.images} generated ${i.size}-px JPEGs in split folders with a label table (split and patient columns), imported through \`importFolderDataset\` into a fresh database: ${i.seconds} s, **${f1(i.imagesPerSecond)} images/s** (target ≥ ${i.target}: ${i.imagesPerSecond >= i.target ? "met" : "**not met**"}); ${i.cpuSecondsPerImage} CPU s per image in the importing process${i.skipped ? `; ${i.skipped} file(s) reported instead of stored` : ""}.`,
      "",
    );
  }
  return out.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      "skip-train": { type: "boolean", default: false },
      "skip-paper": { type: "boolean", default: false },
      "skip-load": { type: "boolean", default: false },
      "skip-import": { type: "boolean", default: false },
    },
  });
  const prev = previous();
  const train = values["skip-train"] ? (prev.train ?? null) : runTrainBench(values.quick);
  const paper = values["skip-paper"] ? (prev.paper ?? null) : runPaperBench();
  const load = values["skip-load"]
    ? (prev.load ?? (existsSync(LOAD_RESULTS) ? (JSON.parse(readFileSync(LOAD_RESULTS, "utf8")) as LoadResult) : null))
    : runLoadBench();
  const imported = values["skip-import"] ? (prev.import ?? null) : runImportBench();
  const results: BenchResults = {
    at: new Date().toISOString(),
    machine: machineInfo(),
    train,
    paper,
    load,
    import: imported,
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const md = benchmarksMarkdown(results);
  writeFileSync("docs/benchmarks.md", md);
  console.log(`\n${md}\nwritten: ${RESULTS}, docs/benchmarks.md`);
}
