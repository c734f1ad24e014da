// The one definition of what a valid user is, shared by the admin page, the CLI and invitations.
import { z } from "zod";
import { text } from "../validation/text";
import { passwordProblem } from "../auth/password-policy";

export const roleSchema = z.enum(["ADMIN", "COORDINATOR", "RESEARCHER", "SPECIALIST"], {
  error: "Role must be one of ADMIN, COORDINATOR, RESEARCHER, SPECIALIST",
});
export const specialtySchema = z.enum(["DERMATOLOGY", "RADIOLOGY", "OTHER"], {
  error: "Specialty must be one of DERMATOLOGY, RADIOLOGY, OTHER",
});

// Length and guessability are checked with the rest of the account (lib/auth/password-policy.ts), since a
// password built from the account's own email or name is easy to guess too.
export const passwordSchema = text();

export const emailSchema = text().trim().toLowerCase().email("Enter a valid email address").max(254);
export const nameSchema = text().trim().min(1, "Name is required").max(120, "Name must be at most 120 characters");

export const staffUserInputSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema.refine((r) => r !== "SPECIALIST", "Specialists join through an invitation link, not a password"),
  password: passwordSchema,
}).superRefine((u, ctx) => {
  const problem = passwordProblem(u.password, [u.email, u.name]);
  if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
});

export const specialistInputSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  specialty: specialtySchema,
});

export type StaffUserInput = z.infer<typeof staffUserInputSchema>;
export type SpecialistInput = z.infer<typeof specialistInputSchema>;
