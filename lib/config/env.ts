// Environment variables, validated. Every read of process.env in the app, the workers, the CLI, the scripts
// and the benchmarks goes through this schema, so a bad value fails with the variable's name instead of
// becoming NaN or a silent default somewhere deep inside.
// - env(): the settings a server process needs (database, secret, storage), parsed once; call it after
//   lib/db/prepare has filled in DATABASE_URL and NEXTAUTH_SECRET.
// - readEnv(keys): just the named variables, parsed on each call, for code that runs before that (ports,
//   flags of the start scripts) or whose variables tests change between calls.
// Empty values count as unset, so `FOCUS_X=` in an env file means "default", not "invalid".
// Outgoing mail (FOCUS_SMTP_URL, FOCUS_MAIL_FROM) is declared here as raw strings; lib/mail validates their
// shape itself, so a bad mail setting disables mail with a reason instead of stopping the app.
import { isAbsolute, resolve, sep } from "node:path";
import { z } from "zod";
import { DomainError } from "../errors/domain-error";

const port = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a port number` })
    .int(`${name} must be a port number`)
    .min(1)
    .max(65535);
const flag = (name: string, meaning: string) => z.enum(["0", "1"], { message: `${name} must be 0 or 1 (${meaning})` });
const int = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number from ${min} to ${max}` })
    .int(`${name} must be a whole number from ${min} to ${max}`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

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
  // --- the server (app, workers, CLI) ---
  DATABASE_URL: z
    .string()
    .url("DATABASE_URL must be a postgres:// URL")
    .refine((u) => /^postgres(ql)?:\/\//.test(u), "DATABASE_URL must start with postgres:// or postgresql://"),
  FOCUS_DB_POOL: int("FOCUS_DB_POOL", 1, 500).default(10),
  FOCUS_EMBEDDED_PG_PORT: port("FOCUS_EMBEDDED_PG_PORT").default(54329),
  FOCUS_STORAGE_DIR: z.string().min(1).default("./data/storage"),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z
    .string()
    .url("NEXTAUTH_URL must be the app's public URL, such as https://focus.example.org")
    .optional(),
  FOCUS_MAX_UPLOAD_MB: z.coerce
    .number({ message: "FOCUS_MAX_UPLOAD_MB must be a positive number of megabytes" })
    .positive("FOCUS_MAX_UPLOAD_MB must be a positive number of megabytes")
    .max(1024 * 1024)
    .default(500),
  FOCUS_TRUST_PROXY: flag("FOCUS_TRUST_PROXY", "1 only behind a proxy that overwrites X-Forwarded-For").default("0"),
  FOCUS_SMTP_URL: z.string().optional(),
  FOCUS_MAIL_FROM: z.string().optional(),
  // Chromium that renders study reports to PDF; unset = /usr/bin/chromium when it exists, else no PDF (HTML only).
  FOCUS_CHROMIUM_PATH: z
    .string()
    .refine((p) => isAbsolute(p), "FOCUS_CHROMIUM_PATH must be an absolute path to a Chromium executable")
    .optional(),
  PORT: port("PORT").default(3000),
  /** `npm start`'s web server processes on PORT (harness/next-cluster.ts); unset = one per core. */
  FOCUS_WEB_PROCESSES: int("FOCUS_WEB_PROCESSES", 1, 256).optional(),
  /** Set by `npm start` on each web process it starts (1…N), reported by /api/health; not for operators. */
  FOCUS_WEB_PROCESS: int("FOCUS_WEB_PROCESS", 1, 256).optional(),
  // Server folders researchers may import from in the web app; none = upload only (the CLI reads any path).
  FOCUS_IMPORT_ROOTS: z
    .string()
    .default("")
    .transform((raw) =>
      raw
        .split(":")
        .map((p) => p.trim())
        .filter((p) => p !== ""),
    )
    .refine(
      (roots) => roots.every((p) => isAbsolute(p)),
      "FOCUS_IMPORT_ROOTS must list absolute paths separated by ':'",
    )
    .refine(
      (roots) => roots.every((p) => resolve(p) !== sep),
      "FOCUS_IMPORT_ROOTS must not contain / (it would admit every folder)",
    )
    .transform((roots) => roots.map((p) => resolve(p))),
  // --- training and workers ---
  FOCUS_TF_BACKEND: z
    .enum(["gpu", "node", "wasm", "cpu"], { message: "FOCUS_TF_BACKEND must be gpu, node, wasm or cpu" })
    .optional(),
  FOCUS_NATIVE_KERNELS: flag("FOCUS_NATIVE_KERNELS", "0 off, 1 on where built").optional(),
  FOCUS_WINOGRAD: flag(
    "FOCUS_WINOGRAD",
    "0: every native convolution through im2col + GEMM, 1 Winograd where it applies",
  ).optional(),
  FOCUS_THREADS: focusThreadsSchema,
  FOCUS_WORKER_CONCURRENCY: int("FOCUS_WORKER_CONCURRENCY", 1, 256).default(1),
  /** How often each worker writes its WorkerHeartbeat row and looks for runs of dead workers. */
  FOCUS_WORKER_HEARTBEAT_MS: int("FOCUS_WORKER_HEARTBEAT_MS", 100, 600_000).default(10_000),
  /** A worker silent for longer is dead: its runs are requeued and the researcher sees it offline. */
  FOCUS_WORKER_STALE_MS: int("FOCUS_WORKER_STALE_MS", 300, 3_600_000).default(60_000),
  /** Set by the worker supervisor on the processes it forks; not for operators. */
  FOCUS_WORKER_CHILD: flag("FOCUS_WORKER_CHILD", "internal").optional(),
  /** Lowest level logged; lib/logging owns the list of levels and validates it. */
  FOCUS_LOG_LEVEL: z.string().optional(),
  /** Set by Next.js and the start scripts; production logs are JSON lines. */
  NODE_ENV: z.string().optional(),
  // --- scripts, tests and benchmarks ---
  FOCUS_DEBUG: flag("FOCUS_DEBUG", "1 prints stack traces from the CLI").optional(),
  FOCUS_DEMO_REBUILD: flag("FOCUS_DEMO_REBUILD", "1 rebuilds the web app on `npm run demo`").optional(),
  FOCUS_NEXT_DIST_DIR: z.string().min(1).default(".next"),
  FOCUS_E2E_REUSE_BUILD: flag("FOCUS_E2E_REUSE_BUILD", "1 reuses the browser tests' last build").optional(),
  E2E_PORT: port("E2E_PORT").default(3101),
  FOCUS_BENCH_BUILD: flag("FOCUS_BENCH_BUILD", "1 rebuilds before the load benchmark").optional(),
  BENCH_PORT: port("BENCH_PORT").default(3201),
  BENCH_READERS: int("BENCH_READERS", 1, 10_000).default(200),
  BENCH_CASES: int("BENCH_CASES", 1, 10_000).default(10),
  BENCH_THINK_MS: int("BENCH_THINK_MS", 0, 3_600_000).default(8000),
  BENCH_RAMP_MS: int("BENCH_RAMP_MS", 0, 3_600_000).default(24_000),
});

export type Env = z.infer<typeof envSchema>;
export type EnvKey = keyof Env;

const ALL_KEYS = Object.keys(envSchema.shape) as EnvKey[];

type Source = Record<string, string | undefined>;

function blankAsUnset(source: Source): Source {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v === undefined || v.trim() !== ""));
}

function parse<T>(schema: z.ZodType<T>, source: Source): T {
  const parsed = schema.safeParse(blankAsUnset(source));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new DomainError("invalid", `Invalid configuration:\n${lines.join("\n")}\nSee .env.example.`, {
      code: "config",
    });
  }
  return parsed.data;
}

/** Only the named variables, validated (defaults applied) from `source` on every call. */
export function readEnv<K extends EnvKey>(keys: readonly K[], source: Source = process.env): Pick<Env, K> {
  const mask: Partial<Record<EnvKey, true>> = Object.fromEntries(keys.map((k) => [k, true]));
  return parse(envSchema.pick(mask) as unknown as z.ZodType<Pick<Env, K>>, source);
}

/** One variable, validated. */
export function envVar<K extends EnvKey>(key: K, source: Source = process.env): Env[K] {
  return readEnv([key], source)[key];
}

let cached: Env | undefined;

/** Every variable, validated once per process; needs DATABASE_URL and NEXTAUTH_SECRET. */
export function env(): Env {
  cached ??= readEnv(ALL_KEYS);
  return cached;
}
