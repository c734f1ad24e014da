// Entry points end with one clear sentence for known failures, not a stack trace.
import { ConfigError } from "../lib/config/env";
import { DatabaseUnreachableError } from "../lib/db/reachability";
import { ZodError } from "zod";

export function reportFatal(e: unknown, exitCode = 1): never {
  if (e instanceof DatabaseUnreachableError || e instanceof ConfigError) console.error(`\n${e.message}\n`);
  else if (e instanceof ZodError) console.error(e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
  else console.error(e instanceof Error ? e.message : e);
  process.exit(exitCode);
}
