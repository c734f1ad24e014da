// The one definition of what a valid user is, shared by the admin page, the CLI and invitations.
import { z } from "zod";
import { text } from "../validation/text";

export const roleSchema = z.enum(["ADMIN", "COORDINATOR", "RESEARCHER", "SPECIALIST"], {
  error: "Role must be one of ADMIN, COORDINATOR, RESEARCHER, SPECIALIST",
});
export const specialtySchema = z.enum(["DERMATOLOGY", "RADIOLOGY", "OTHER"], {
  error: "Specialty must be one of DERMATOLOGY, RADIOLOGY, OTHER",
});

// Length and guessability are checked by createStaffUser (lib/auth/password-policy.ts), with the account's
// email and name; the estimator's word lists stay out of every module that only parses user input.
export const passwordSchema = text().max(200, "Password must be at most 200 characters");

export const emailSchema = text().trim().toLowerCase().email("Enter a valid email address").max(254);
export const nameSchema = text().trim().min(1, "Name is required").max(120, "Name must be at most 120 characters");

export const staffUserInputSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema.refine((r) => r !== "SPECIALIST", "Specialists join through an invitation link, not a password"),
  password: passwordSchema,
});

export const specialistInputSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  specialty: specialtySchema,
});

export type StaffUserInput = z.infer<typeof staffUserInputSchema>;
export type SpecialistInput = z.infer<typeof specialistInputSchema>;
