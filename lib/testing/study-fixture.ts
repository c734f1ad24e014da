// A complete, published study written straight to the database and storage, for integration
// and browser tests: dataset, images, one finished run per variant, heat-maps, arms, cases.
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { db } from "../db/client";
import { putBytes } from "../storage/content-store";
import { hashPassword } from "../auth/password";
import { newPseudonym } from "../users/pseudonym";
import { createInvitation } from "../studies/invitations";
import type { Variant } from "../db/generated/enums";
import type { StudySettings } from "../studies/study-settings";

const ALL_VARIANTS: Variant[] = ["BASELINE", "SE", "CBAM", "GC"];

async function solidPng(size: number, rgb: [number, number, number]): Promise<Uint8Array> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

export interface StudyFixture {
  studyId: string;
  ownerId: string;
  variants: Variant[];
  runIds: string[];
  jobId: string;
  heatmapIds: string[];
  caseIds: string[];
  inviteReader(name?: string): Promise<{ link: string; readerId: string; pseudonym: string }>;
}

export async function createStudyFixture(opts: { cases?: number; arms?: number; settings?: Partial<StudySettings>; status?: "DRAFT" | "OPEN" | "CLOSED" } = {}): Promise<StudyFixture> {
  const tag = randomBytes(4).toString("hex");
  const nCases = opts.cases ?? 3;
  const variants = ALL_VARIANTS.slice(0, opts.arms ?? 4);
  const owner = await db().user.create({
    data: { email: `owner-${tag}@fixture.test`, name: "Fixture Coordinator", role: "COORDINATOR", pseudonym: newPseudonym("C"), passwordHash: await hashPassword("fixture-password") },
  });
  const dataset = await db().dataset.create({
    data: { name: `fixture-${tag}`, modality: "SYNTHETIC", classNames: ["benign", "malignant"], imageSize: 32, splitSeed: 7, hasMasks: false, createdById: owner.id },
  });
  const images = [];
  for (let i = 0; i < nCases; i++) {
    const bytes = await solidPng(32, [(i * 53 + tag.charCodeAt(0)) % 256, (i * 97) % 256, 120]);
    const fileKey = await putBytes(bytes, "png", "img");
    images.push(
      await db().image.create({
        data: { datasetId: dataset.id, originalName: `case-${i}.png`, label: i % 2, split: "VALIDATION", contentHash: `${tag}-${i}`, width: 32, height: 32, fileKey },
      }),
    );
  }
  const job = await db().trainingJob.create({
    data: { datasetId: dataset.id, variants, seeds: [1], params: { epochs: 1 }, status: "SUCCEEDED", createdById: owner.id },
  });
  const runIds: string[] = [];
  const heatmapIds: string[] = [];
  for (const [v, variant] of variants.entries()) {
    const run = await db().modelRun.create({
      data: { jobId: job.id, variant, seed: 1, params: {}, status: "SUCCEEDED", epoch: 1, epochs: 1, valAuc: 0.8 + v * 0.01, readyForStudy: true },
    });
    runIds.push(run.id);
    for (const [i, image] of images.entries()) {
      const overlayKey = await putBytes(await solidPng(32, [40 * v, 255 - 40 * v, (i * 31) % 256]), "png", "hm");
      const hm = await db().heatmap.create({
        data: { modelRunId: run.id, imageId: image.id, targetClass: image.label, probability: 0.5 + 0.1 * v, predictedClass: image.label, overlayKey, mapKey: overlayKey },
      });
      heatmapIds.push(hm.id);
    }
  }
  const study = await db().study.create({
    data: {
      title: `Fixture study ${tag}`,
      instructions: "Look at each heat-map.",
      datasetId: dataset.id,
      ownerId: owner.id,
      settings: { rationaleMin: 5, ...opts.settings },
      designSeed: randomBytes(8).toString("hex"),
      status: opts.status ?? "OPEN",
      publishedAt: new Date(),
      arms: { create: runIds.map((modelRunId, armIndex) => ({ modelRunId, armIndex })) },
      cases: { create: images.map((image, caseIndex) => ({ imageId: image.id, caseIndex })) },
    },
    include: { cases: { orderBy: { caseIndex: "asc" } } },
  });
  let readers = 0;
  return {
    studyId: study.id,
    ownerId: owner.id,
    variants,
    runIds,
    jobId: job.id,
    heatmapIds,
    caseIds: study.cases.map((c) => c.id),
    async inviteReader(name = `Reader ${++readers}`) {
      const { link, reader } = await createInvitation(study.id, { email: `reader-${randomBytes(4).toString("hex")}@fixture.test`, name, specialty: "DERMATOLOGY" }, owner.id);
      return { link, readerId: reader.id, pseudonym: reader.pseudonym };
    },
  };
}
