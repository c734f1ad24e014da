// Environment variables, validated once. Every server-side entry point (app, worker, CLI) reads
// configuration through here so a bad value fails at start-up with the variable's name.
import { isAbsolute, resolve, sep } from "node:path";
import { z } from "zod";
import { DomainError } from "../errors/domain-error";

/**
 * Threads of the native kernels in one process. Unset = the cores divided by FOCUS_WORKER_CONCURRENCY (the
 * worker processes on this machine), so N one-thread workers share N cores and a single worker uses them all.
 * Parsed on its own by the kernels' loader too, which runs in benchmarks and tests without the rest.
 */
export const focusThreadsSchema = z
  .string()
  .regex(/^\d+$/, "FOCUS_THREADS must be a whole number of threads, 1 to 256")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 256, "FOCUS_THREADS must be a whole number of threads, 1 to 256")
  .optional();

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .url("DATABASE_URL must be a postgres:// URL")
    .refine((u) => /^postgres(ql)?:\/\//.test(u), "DATABASE_URL must start with postgres:// or postgresql://"),
  FOCUS_STORAGE_DIR: z.string().min(1).default("./data/storage"),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.string().url().optional(),
  FOCUS_INVITE_TTL_HOURS: z.coerce.number().int().positive().max(24 * 365).default(24 * 14),
  FOCUS_TF_BACKEND: z.enum(["gpu", "node", "wasm", "cpu"]).optional(),
  FOCUS_NATIVE_KERNELS: z.enum(["0", "1"], { message: "FOCUS_NATIVE_KERNELS must be 0 (off) or 1 (on where built)" }).optional(),
  FOCUS_THREADS: focusThreadsSchema,
  // Server folders researchers may import from in the web app; none = upload only (the CLI reads any path).
  FOCUS_IMPORT_ROOTS: z
    .string()
    .default("")
    .transform((raw) => raw.split(":").map((p) => p.trim()).filter((p) => p !== ""))
    .refine((roots) => roots.every((p) => isAbsolute(p)), "FOCUS_IMPORT_ROOTS must list absolute paths separated by ':'")
    .refine((roots) => roots.every((p) => resolve(p) !== sep), "FOCUS_IMPORT_ROOTS must not contain / (it would admit every folder)")
    .transform((roots) => roots.map((p) => resolve(p))),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new DomainError("invalid", `Invalid configuration:\n${lines.join("\n")}\nSee .env.example.`, { code: "config" });
  }
  cached = parsed.data;
  return cached;
}
