// A complete, published study written straight to the database and storage, for integration and
// browser tests and the load benchmark: seeded runs with heat-maps (seed-runs.ts), arms, cases.
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { newPseudonym } from "../users/pseudonym";
import { createInvitation } from "../studies/invitations";
import { seedDatasetWithRuns, type VariantName } from "./seed-runs";
import type { LegacyQuestionSettings, StudySettings } from "../studies/study-settings";
import type { StudyQuestion } from "../studies/study-questions";

const ALL_VARIANTS: VariantName[] = ["BASELINE", "SE", "CBAM", "GC"];

export interface StudyFixture {
  studyId: string;
  ownerId: string;
  variants: VariantName[];
  runIds: string[];
  jobId: string;
  heatmapIds: string[];
  caseIds: string[];
  inviteReader(name?: string): Promise<{ link: string; readerId: string; invitationId: string; pseudonym: string }>;
}

export async function createStudyFixture(
  opts: {
    cases?: number;
    /** 2 to 6: one run per variant, then second-seed runs of the first variants (BASELINE, SE). */
    arms?: number;
    /** With the rules of a study from before questions, which build its default template when `questions` is absent. */
    settings?: Partial<StudySettings & LegacyQuestionSettings>;
    /** Absent: none stored, so the study reads back as the default template built from `settings`. */
    questions?: StudyQuestion[];
    status?: "DRAFT" | "OPEN" | "CLOSED";
    /** Heat-maps and images as stored before raw maps and display copies existed. */
    legacy?: boolean;
  } = {},
): Promise<StudyFixture> {
  const arms = opts.arms ?? 4;
  const variants = ALL_VARIANTS.slice(0, Math.min(arms, 4));
  const { job, runs, images, heatmapIds } = await seedDatasetWithRuns({
    images: opts.cases ?? 3,
    variants,
    runs: arms,
    legacy: opts.legacy,
  });
  const owner = await db().user.create({
    data: {
      email: `owner-${randomBytes(4).toString("hex")}@fixture.test`,
      name: "Fixture Coordinator",
      role: "COORDINATOR",
      pseudonym: newPseudonym("C"),
      passwordHash: await hashPassword("fixture-password"),
    },
  });
  const study = await db().study.create({
    data: {
      title: `Fixture study ${randomBytes(3).toString("hex")}`,
      instructions: "Look at each heat-map.",
      datasetId: job.datasetId,
      ownerId: owner.id,
      // Fixed case order unless a test asks for per-reader orders, so "case n" is the study's case n here.
      settings: { rationaleMin: 5, caseOrder: "fixed", ...opts.settings },
      questions: opts.questions ?? [],
      designSeed: randomBytes(8).toString("hex"),
      status: opts.status ?? "OPEN",
      publishedAt: new Date(),
      arms: { create: runs.map((run, armIndex) => ({ modelRunId: run.id, armIndex })) },
      cases: { create: images.map((image, caseIndex) => ({ imageId: image.id, caseIndex })) },
    },
    include: { cases: { orderBy: { caseIndex: "asc" } } },
  });
  let readers = 0;
  return {
    studyId: study.id,
    ownerId: owner.id,
    variants,
    runIds: runs.map((r) => r.id),
    jobId: job.id,
    heatmapIds,
    caseIds: study.cases.map((c) => c.id),
    async inviteReader(name = `Reader ${++readers}`) {
      const { link, reader, invitation } = await createInvitation(
        study.id,
        { email: `reader-${randomBytes(4).toString("hex")}@fixture.test`, name, specialty: "DERMATOLOGY" },
        owner.id,
      );
      return { link, readerId: reader.id, invitationId: invitation.id, pseudonym: reader.pseudonym };
    },
  };
}
