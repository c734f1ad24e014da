// focus gradcam --model <dir/model.json> --image <file> --out <overlay.png> [--target <class>] [--json]
// No database: loads a trained model folder, runs Grad-CAM on one image, writes the overlay PNG.
import { existsSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Command } from "commander";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { decodeToSquareRgb } from "@/lib/image-codec/decode";
import { loadModel, MODEL_JSON } from "@/lib/ml/models/save-load";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { renderHeatmapOverlayPng } from "@/lib/ml/render/heatmap-png";
import { gradCamOfImages, modelInputSize } from "@/lib/jobs/heatmap-maps";
import { integerOption, usageError } from "./arguments";

/** Accepts the model.json path or its folder. */
export function modelFolder(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) {
    if (!existsSync(`${path}/${MODEL_JSON}`)) throw usageError(`--model: no ${MODEL_JSON} in ${path}.`);
    return path;
  }
  if (basename(path) !== MODEL_JSON && !path.endsWith(".json"))
    throw usageError(`--model must be a ${MODEL_JSON} file or its folder, got ${path}.`);
  if (!existsSync(path)) throw usageError(`--model: ${path} does not exist.`);
  return dirname(path);
}

export function registerGradcam(program: Command): void {
  program
    .command("gradcam")
    .description("Grad-CAM of one image with a trained model folder (no database)")
    .requiredOption("--model <model.json>", "model.json of a trained run (e.g. <storage>/runs/<id>/model/model.json)")
    .requiredOption("--image <file>", "PNG or JPEG image")
    .requiredOption("--out <png>", "where to write the jet overlay")
    .option("--target <class>", "class to explain (default: the predicted class)", integerOption("--target", 0, 1))
    .option("--json", "print probabilities, classes and the heat-map grid as JSON")
    .action(async (o: { model: string; image: string; out: string; target?: number; json?: boolean }) => {
      const folder = modelFolder(o.model);
      if (!existsSync(o.image)) throw usageError(`--image: ${o.image} does not exist.`);
      // Backend choice goes to stderr, keeping stdout for the JSON.
      await initBackend({ log: (m) => console.error(m) });
      const model = await loadModel(folder);
      const side = modelInputSize(model);
      // The same centre-crop resize as dataset import, so the model sees what it was trained on.
      const { rgb } = await decodeToSquareRgb(await readFile(o.image), side);
      const [cam] = await gradCamOfImages(model, [rgb], o.target === undefined ? undefined : [o.target]);
      await writeFile(o.out, await renderHeatmapOverlayPng(rgb, cam.heatmap, side));
      const grid = Array.from({ length: side }, (_, y) =>
        Array.from(cam.heatmap.subarray(y * side, (y + 1) * side), (v) => Math.round(v * 1000) / 1000),
      );
      const meta = (model.getUserDefinedMetadata() as { focus?: Record<string, unknown> } | undefined)?.focus ?? null;
      disposeModel(model);
      if (o.json) {
        console.log(
          JSON.stringify({
            model: folder,
            image: o.image,
            out: o.out,
            inputSize: side,
            variant: meta?.variant ?? null,
            probabilities: cam.probabilities,
            predictedClass: cam.predictedClass,
            targetClass: cam.targetClass,
            targetProbability: cam.targetProbability,
            grid,
          }),
        );
        return;
      }
      console.log(
        `predicted class ${cam.predictedClass} (P = ${cam.probabilities.map((p) => p.toFixed(3)).join(" / ")}); map of class ${cam.targetClass} written to ${o.out}`,
      );
    });
}
