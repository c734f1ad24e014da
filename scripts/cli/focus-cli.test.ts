import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { buildModel } from "@/lib/ml/models/build-model";
import { saveModel } from "@/lib/ml/models/save-load";
import { generateSyntheticCase } from "@/lib/ml/data/synthetic-dermoscopy";
import { db, disconnectDb } from "@/lib/db/client";
import { captureOutput } from "@/lib/testing/capture-output";
import { main, EXIT_USAGE } from "../focus-cli";
import { parseSeeds } from "./train";
import { parseImages } from "./heatmaps";
import { formatDuration, progressBar } from "./progress-bar";

after(() => disconnectDb());

const run = (argv: string[]) => captureOutput(main, argv);

describe("focus CLI arguments", () => {
  const bad: [string, string[], RegExp][] = [
    ["no command", [], /Usage: focus/],
    ["unknown command", ["frobnicate"], /unknown command/],
    ["missing required option", ["train", "--variants", "se"], /--dataset/],
    ["bad variant", ["train", "--dataset", "x", "--variants", "se,vit"], /unknown variant\(s\) vit/],
    ["bad seeds", ["train", "--dataset", "x", "--seeds", "three"], /--seeds must be a count/],
    ["negative epochs", ["train", "--dataset", "x", "--epochs", "-3"], /--epochs must be between 1/],
    ["bad preset", ["train", "--dataset", "x", "--preset", "gpu-huge"], /--preset must be one of cpu-quick, paper/],
    ["bad width", ["model:summary", "--variant", "se", "--width", "0"], /--width must be greater than 0/],
    ["bad variant for summary", ["model:summary", "--variant", "resnet50"], /--variant must be one of/],
    ["synthetic count too small", ["dataset:synthetic", "--name", "x", "--count", "1"], /--count must be between 4/],
    [
      "import without folder",
      ["dataset:import", "--name", "x", "--positive", "yes"],
      /missing required argument 'folder'/,
    ],
    [
      "bad modality",
      ["dataset:import", "f", "--name", "x", "--positive", "yes", "--modality", "PET"],
      /--modality must be one of/,
    ],
    [
      "label column without a table",
      ["dataset:import", "f", "--name", "x", "--positive", "yes", "--label-column", "dx"],
      /labelColumn needs a label table/,
    ],
    [
      "table without negative values",
      [
        "dataset:import",
        "f",
        "--name",
        "x",
        "--positive",
        "mel",
        "--labels",
        "t.csv",
        "--image-column",
        "id",
        "--label-column",
        "dx",
      ],
      /negative is required with a label table/,
    ],
    [
      "bad group pattern",
      ["dataset:import", "f", "--name", "x", "--positive", "yes", "--group-pattern", "person(\\d+"],
      /groupPattern is not a valid regular expression/,
    ],
    ["unknown option", ["model:summary", "--variant", "se", "--colour"], /unknown option '--colour'/],
    ["gradcam without model", ["gradcam", "--image", "a.png", "--out", "b.png"], /--model/],
    ["localisation without dataset", ["localisation", "--json"], /--dataset/],
  ];
  for (const [what, argv, message] of bad) {
    test(`${what}: exit 2 with a clear message`, async () => {
      const r = await run(argv);
      assert.equal(r.code, EXIT_USAGE, `${argv.join(" ")} => ${r.code}\n${r.err}`);
      assert.match(r.err, message);
    });
  }

  test("help exits 0 and lists every command", async () => {
    const r = await run(["--help"]);
    assert.equal(r.code, 0);
    for (const c of [
      "dataset:import",
      "dataset:synthetic",
      "train",
      "heatmaps",
      "localisation",
      "gradcam",
      "model:summary",
      "stats",
    ])
      assert.match(r.out, new RegExp(c));
    const sub = await run(["train", "--help"]);
    assert.equal(sub.code, 0);
    assert.match(sub.out, /--preset/);
  });

  test("model:summary --json prints the analytic parameter count", async () => {
    const r = await run(["model:summary", "--variant", "baseline", "--width", "1", "--size", "224", "--json"]);
    assert.equal(r.code, 0, r.err);
    // ImageNet-width ResNet-18 with 2 classes.
    assert.deepEqual(JSON.parse(r.out), { variant: "baseline", width: 1, inputSize: 224, params: 11_177_538 });
  });

  test("a real process exits with code 2 on bad arguments", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/focus-cli.ts", "train", "--dataset", "x", "--seeds", "0"],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--seeds must be between 1 and 20/);
  });
});

describe("focus train: the time before queuing", () => {
  test("--estimate-only prints the runs and the estimate; the paper's protocol on CPU needs --confirm-cpu", async () => {
    const name = `cli-estimate-${Date.now().toString(36)}`;
    await db().dataset.create({
      data: { name, modality: "SKIN", classNames: ["b", "m"], imageSize: 32, splitSeed: 1 },
    });
    const estimate = await run(["train", "--dataset", name, "--estimate-only"]);
    assert.equal(estimate.code, 0, estimate.err);
    assert.match(estimate.out, /12 runs/);
    assert.match(estimate.out, /no GPU worker is online.*--confirm-cpu/s);
    const refused = await run(["train", "--dataset", name]);
    assert.equal(refused.code, 2, refused.out);
    assert.match(refused.err, /GPU worker.*CPU quick preset.*add --confirm-cpu/s);
    assert.equal(await db().trainingJob.count({ where: { dataset: { name } } }), 0);
  });
});

describe("argument parsers and progress text", () => {
  test("seeds: a count or a list", () => {
    assert.equal(parseSeeds("3"), 3);
    assert.deepEqual(parseSeeds("7, 11"), [7, 11]);
  });
  test("images: a split or ids", () => {
    assert.deepEqual(parseImages("validation"), { split: "VALIDATION" });
    assert.deepEqual(parseImages("val"), { split: "VALIDATION" });
    assert.deepEqual(parseImages("a1,b2"), { imageIds: ["a1", "b2"] });
  });
  test("progress bar and durations", () => {
    assert.equal(progressBar(0, 4, 8), "[--------]");
    assert.equal(progressBar(1, 4, 8), "[##------]");
    assert.equal(progressBar(9, 4, 8), "[########]");
    assert.equal(formatDuration(42), "42s");
    assert.equal(formatDuration(125), "2m05s");
    assert.equal(formatDuration(7260), "2h01m");
    assert.equal(formatDuration(null), "--");
  });
});

describe("focus gradcam (no database)", () => {
  test("loads a model folder, writes the overlay and prints P, classes and the grid", async () => {
    const dir = await mkdtemp(join(tmpdir(), "focus-gradcam-"));
    try {
      await initBackend({ log: () => undefined });
      const model = buildModel({ variant: "cbam", width: 0.25, inputSize: 32, numClasses: 2, seed: 4 });
      await saveModel(model, join(dir, "model"));
      model.dispose();
      const c = generateSyntheticCase(2, 0, 48, { label: 1 });
      await writeFile(
        join(dir, "lesion.png"),
        await sharp(Buffer.from(c.rgb), { raw: { width: 48, height: 48, channels: 3 } })
          .png()
          .toBuffer(),
      );
      const out = join(dir, "overlay.png");
      const r = await run([
        "gradcam",
        "--model",
        join(dir, "model", "model.json"),
        "--image",
        join(dir, "lesion.png"),
        "--out",
        out,
        "--target",
        "1",
        "--json",
      ]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as {
        probabilities: number[];
        predictedClass: number;
        targetClass: number;
        targetProbability: number;
        grid: number[][];
        inputSize: number;
        variant: string;
      };
      assert.equal(j.inputSize, 32);
      assert.equal(j.probabilities.length, 2);
      assert.ok(Math.abs(j.probabilities[0] + j.probabilities[1] - 1) < 1e-5);
      assert.equal(j.predictedClass, j.probabilities[1] > j.probabilities[0] ? 1 : 0);
      assert.equal(j.targetClass, 1);
      assert.equal(j.targetProbability, j.probabilities[1]);
      assert.equal(j.grid.length, 32);
      assert.ok(j.grid.every((row) => row.length === 32 && row.every((v) => v >= 0 && v <= 1)));
      const meta = await sharp(out).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ["png", 32, 32]);

      const missing = await run([
        "gradcam",
        "--model",
        join(dir, "nope", "model.json"),
        "--image",
        join(dir, "lesion.png"),
        "--out",
        out,
      ]);
      assert.equal(missing.code, EXIT_USAGE);
      assert.match(missing.err, /does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
