// A study's reader-facing settings: one zod schema for the coordinator's form, the database
// JSON column and the survey pages.
import { z } from "zod";
import { COLOUR_MAPS } from "../ml/render/colour-map-names";
import { MAX_CASES } from "./study-limits";

export const DEFAULT_INVITATION_EXPIRY_DAYS = 14;
export const MIN_INVITATION_EXPIRY_DAYS = 1;
export const MAX_INVITATION_EXPIRY_DAYS = 90;

export const DEFAULT_QUESTION = "Which model focuses on the most clinically relevant region?";

export const studySettingsSchema = z.object({
  // Off by default: a model that is always more (or less) confident is recognisable by its P, which weakens
  // the blinding; a coordinator who wants P shown opts in on the form, which says so.
  showProbabilities: z.boolean().default(false),
  allowRevisit: z.boolean().default(true),
  targetSpecialty: z.enum(["DERMATOLOGY", "RADIOLOGY", "OTHER"]).nullable().default(null),
  // Each reader's own seeded case order (stored on the invitation), or the study's order for everyone.
  caseOrder: z.enum(["random", "fixed"], { error: "Case order is random per reader or fixed" }).default("random"),
  // How long an invitation link (and a coordinator's re-entry link) works; this schema owns the limit.
  invitationExpiryDays: z
    .number({ error: "Invitation expiry must be a number of days" })
    .int("Invitation expiry must be a whole number of days")
    .min(MIN_INVITATION_EXPIRY_DAYS, `Invitation expiry must be at least ${MIN_INVITATION_EXPIRY_DAYS} day`)
    .max(MAX_INVITATION_EXPIRY_DAYS, `Invitation expiry must be at most ${MAX_INVITATION_EXPIRY_DAYS} days`)
    .default(DEFAULT_INVITATION_EXPIRY_DAYS),
  // Cases each reader reads a second time after the last one, with a fresh slot order, for intra-reader agreement
  // (Cohen's kappa of each reader with themself). At most the study's case count, which the commands check.
  repeatedCases: z
    .number({ error: "Repeated cases must be a number" })
    .int("Repeated cases must be a whole number")
    .min(0, "Repeated cases must be 0 or more")
    .max(MAX_CASES, `Repeated cases must be at most ${MAX_CASES}`)
    .default(0),
  // How the reader's browser colours the maps; jet is the paper's (design §4).
  colourMap: z.enum(COLOUR_MAPS, { error: "Choose jet, turbo or viridis" }).default("jet"),
});

export type StudySettings = z.infer<typeof studySettingsSchema>;

/** Settings stored before a field existed read back with that field's default. */
export function readSettings(json: unknown): StudySettings {
  return studySettingsSchema.parse(json ?? {});
}

/**
 * The rationale and confidence rules of a study stored before questions existed (its settings JSON held them). They
 * are read only to build such a study's default template (study-questions.ts); the questions own these rules now.
 */
export const legacyQuestionSettingsSchema = z.object({
  rationaleRequired: z.boolean().catch(true).default(true),
  rationaleMin: z.number().int().min(0).max(2000).catch(10).default(10),
  rationaleMax: z.number().int().min(1).max(5000).catch(1000).default(1000),
  confidenceEnabled: z.boolean().catch(true).default(true),
});

export type LegacyQuestionSettings = z.infer<typeof legacyQuestionSettingsSchema>;

export function readLegacyQuestionSettings(json: unknown): LegacyQuestionSettings {
  const s = legacyQuestionSettingsSchema.parse(json && typeof json === "object" ? json : {});
  return s.rationaleMin <= s.rationaleMax ? s : { ...s, rationaleMin: s.rationaleMax };
}
