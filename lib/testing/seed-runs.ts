// Seeded model runs with heat-maps (tiny real PNGs in storage), written straight to the database and the
// storage folder the app reads. Used by integration tests, browser tests and the load benchmark.
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { putBytes } from "../storage/content-store";
import { encodeDisplayJpeg, encodeRgbPng } from "../image-codec/encode-png";
import { encodeCamPayload } from "../ml/render/cam-payload";
import { createInvitation } from "../studies/invitations";
import { newPseudonym } from "../users/pseudonym";

export type VariantName = "BASELINE" | "SE" | "CBAM" | "GC";

export interface SeedRunsOptions {
  images?: number;
  variants?: VariantName[];
  /** Whether run `v` classified image `i` correctly (default: all but every 4th image for v > 0). */
  correct?: (variantIndex: number, imageIndex: number) => boolean;
  /** Energy inside the mask for run `v` on image `i`; default prefers the last variant. */
  energy?: (variantIndex: number, imageIndex: number) => number | null;
  /** (variant index, image index) pairs left without a heat-map. */
  missing?: [number, number][];
  /** Runs as `variants` x seeds 1, 2, ...: six arms are BASELINE, SE, CBAM, GC and two more of seed 2. */
  runs?: number;
  /** Rows as written before display copies and raw maps existed (no displayKey, no camKey). */
  legacy?: boolean;
}

/** A 64 px display copy: a lesion-like disc whose place depends on `i`, on a skin-toned gradient. */
async function displayJpeg(i: number): Promise<string> {
  const side = 64;
  const rgb = new Uint8Array(side * side * 3);
  const cx = 20 + ((i * 9) % 24);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const inside = (x - cx) ** 2 + (y - 32) ** 2 < 14 ** 2;
      rgb.set(inside ? [90, 50, 40] : [200 - y, 150 - y / 2, 120], 3 * (y * side + x));
    }
  }
  return putBytes(await encodeDisplayJpeg(rgb, side, side), "jpg", "disp");
}

/** A 7x7 raw map (224 px models) with a hot spot that moves with the run and the image. */
async function rawCam(v: number, i: number): Promise<string> {
  const values = new Float32Array(49);
  const hx = (v * 2 + i) % 7;
  const hy = (v + 2 * i) % 7;
  for (let p = 0; p < 49; p++) values[p] = Math.max(0, 1 - Math.hypot((p % 7) - hx, Math.floor(p / 7) - hy) / 4);
  return putBytes(encodeCamPayload({ width: 7, height: 7, values }), "cam", "cam");
}

async function tinyPng(r: number, g: number, b: number, side = 8): Promise<string> {
  const rgb = new Uint8Array(side * side * 3);
  for (let p = 0; p < side * side; p++) {
    // A small gradient so every picture is distinct and visibly not blank.
    rgb[3 * p] = (r + p) & 255;
    rgb[3 * p + 1] = g;
    rgb[3 * p + 2] = (b + 3 * p) & 255;
  }
  return putBytes(await encodeRgbPng(rgb, side, side), "png");
}

export async function seedDatasetWithRuns(opts: SeedRunsOptions = {}) {
  const nImages = opts.images ?? 8;
  const variants = opts.variants ?? ["BASELINE", "SE", "CBAM", "GC"];
  const tag = randomBytes(4).toString("hex");
  const dataset = await db().dataset.create({
    data: {
      name: `fixture-${tag}`,
      modality: "SYNTHETIC",
      classNames: ["benign", "malignant"],
      imageSize: 8,
      hasMasks: true,
      splitSeed: 1,
    },
  });
  const runCount = opts.runs ?? variants.length;
  const job = await db().trainingJob.create({
    data: {
      datasetId: dataset.id,
      variants,
      seeds: Array.from({ length: Math.ceil(runCount / variants.length) }, (_, k) => k + 1),
      params: { epochs: 1 },
      status: "SUCCEEDED",
    },
  });
  const runs = [];
  for (let r = 0; r < runCount; r++) {
    const variant = variants[r % variants.length];
    const seed = 1 + Math.floor(r / variants.length);
    runs.push(
      await db().modelRun.create({
        data: {
          jobId: job.id,
          variant,
          seed,
          params: { epochs: 1 },
          status: "SUCCEEDED",
          epoch: 1,
          epochs: 1,
          valAuc: 0.8,
          readyForStudy: true,
          finishedAt: new Date(),
        },
        select: { id: true, variant: true, seed: true },
      }),
    );
  }
  const images = [];
  for (let i = 0; i < nImages; i++) {
    const fileKey = await tinyPng(i * 20, 80, 160);
    const label = i % 2;
    images.push(
      await db().image.create({
        data: {
          datasetId: dataset.id,
          originalName: `${label ? "malignant" : "benign"}/img-${i}.png`,
          label,
          split: "VALIDATION",
          contentHash: `${tag}-${i}`,
          width: 8,
          height: 8,
          fileKey,
          displayKey: opts.legacy ? null : await displayJpeg(i),
        },
        select: { id: true, label: true, originalName: true },
      }),
    );
  }
  const heatmapIds: string[] = [];
  const missing = new Set((opts.missing ?? []).map(([v, i]) => `${v}|${i}`));
  const correct = opts.correct ?? ((v: number, i: number) => v === 0 || i % 4 !== 3);
  const energy = opts.energy ?? ((v: number) => 0.2 + 0.1 * v);
  for (let v = 0; v < runs.length; v++) {
    for (let i = 0; i < images.length; i++) {
      if (missing.has(`${v}|${i}`)) continue;
      const overlayKey = await tinyPng(40 * v, 20 * i, 200);
      const ok = correct(v, i);
      const heatmap = await db().heatmap.create({
        data: {
          modelRunId: runs[v].id,
          imageId: images[i].id,
          targetClass: images[i].label,
          probability: ok ? 0.8 : 0.3,
          predictedClass: ok ? images[i].label : 1 - images[i].label,
          overlayKey,
          mapKey: overlayKey,
          camKey: opts.legacy ? null : await rawCam(v, i),
          energyInMask: energy(v, i),
        },
        select: { id: true },
      });
      heatmapIds.push(heatmap.id);
    }
  }
  return { dataset, job, runs, images, heatmapIds };
}

/** A specialist invited to the study (through the app's own invitation code); returns the reader's user row. */
export async function invitedReader(
  studyId: string,
  actorId: string,
  specialty: "DERMATOLOGY" | "RADIOLOGY" | "OTHER" = "DERMATOLOGY",
  name = "Fixture Reader",
) {
  const email = `reader-${randomBytes(4).toString("hex")}@fixture.test`;
  const { reader, link } = await createInvitation(studyId, { email, name, specialty }, actorId);
  return { reader, link, email };
}

/** A coordinator account created directly (no password sign-in needed for library tests). */
export async function fixtureCoordinator() {
  return db().user.create({
    data: {
      email: `coord-${randomBytes(4).toString("hex")}@fixture.test`,
      name: "Fixture Coordinator",
      role: "COORDINATOR",
      pseudonym: newPseudonym("C"),
    },
  });
}
