"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole, sessionGrantsStudy } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors/domain-error";
import { setCaseFlag } from "@/lib/studies/reader-survey-review";
import { text } from "@/lib/validation/text";

const flagSchema = z.object({
  studyId: text().min(1).max(64),
  caseNumber: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  flagged: z.enum(["true", "false"]).transform((v) => v === "true"),
});

export async function flagCaseAction(form: FormData): Promise<void> {
  const user = await requireRole("SPECIALIST");
  const input = flagSchema.parse({
    studyId: form.get("studyId"),
    caseNumber: form.get("caseNumber"),
    flagged: form.get("flagged"),
  });
  if (!sessionGrantsStudy(user, input.studyId)) throw DomainError.notFound("No such study.");
  await setCaseFlag(user.id, input.studyId, input.caseNumber, input.flagged);
  revalidatePath(`/surveys/${input.studyId}/answers`);
}
