// Argument parsing shared by the commands. Bad arguments are usage errors: the CLI exits with code 2 and a
// message naming the option, never a stack trace.
import { InvalidArgumentError } from "commander";
import { ZodError } from "zod";
import { DatasetNotFoundError } from "@/lib/datasets/dataset-queries";
import { DatasetExistsError } from "@/lib/datasets/persist-dataset";
import { EmptyClassError } from "@/lib/datasets/import-folder";
import { NotFoundError } from "@/lib/jobs/enqueue";
import { RunStateError } from "@/lib/jobs/run-control";
import { FolderLayoutError } from "@/lib/ml/data/folder-import";

export class UsageError extends Error {}

export function integerOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be an integer, got "${value}".`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${n}.`);
    return n;
  };
}

export function numberOption(name: string, opts: { min?: number; max?: number; exclusiveMin?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
    if (opts.min !== undefined && (opts.exclusiveMin ? n <= opts.min : n < opts.min)) {
      throw new InvalidArgumentError(`${name} must be ${opts.exclusiveMin ? "greater than" : "at least"} ${opts.min}, got ${n}.`);
    }
    if (opts.max !== undefined && n > opts.max) throw new InvalidArgumentError(`${name} must be at most ${opts.max}, got ${n}.`);
    return n;
  };
}

export function listOption(value: string): string[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list, got "${value}".`);
  return items;
}

export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    const v = value.trim();
    const hit = choices.find((c) => c.toLowerCase() === v.toLowerCase());
    if (!hit) throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}, got "${value}".`);
    return hit;
  };
}

/** Zod errors from library input schemas are the user's arguments being wrong, so they are usage errors. */
export function asUsageError(e: unknown): UsageError | null {
  if (e instanceof UsageError) return e;
  // Naming a dataset or run that does not exist, a dataset name already taken, or a folder without the
  // expected layout is an argument error too.
  if (e instanceof DatasetNotFoundError || e instanceof DatasetExistsError || e instanceof NotFoundError || e instanceof FolderLayoutError || e instanceof EmptyClassError || e instanceof RunStateError) return new UsageError(e.message);
  if (e instanceof ZodError) {
    return new UsageError(e.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; "));
  }
  return null;
}
