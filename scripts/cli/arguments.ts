// Argument parsing shared by the commands. Bad arguments are usage errors: the CLI exits with code 2 and a
// message naming the option, never a stack trace (lib/errors/exit-code.ts maps every failure to its code).
import { InvalidArgumentError } from "commander";
import type { ZodType } from "zod";
import { DomainError } from "@/lib/errors/domain-error";
import { numberBounds } from "@/lib/ml/train/train-params";

/** Arguments that make no sense together or name something absent: the "invalid" domain error. */
export function usageError(message: string): DomainError {
  return DomainError.invalid(message);
}

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
    if (value.trim() === "" || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
    if (opts.min !== undefined && (opts.exclusiveMin ? n <= opts.min : n < opts.min)) {
      throw new InvalidArgumentError(
        `${name} must be ${opts.exclusiveMin ? "greater than" : "at least"} ${opts.min}, got ${n}.`,
      );
    }
    if (opts.max !== undefined && n > opts.max)
      throw new InvalidArgumentError(`${name} must be at most ${opts.max}, got ${n}.`);
    return n;
  };
}

/** An option bounded by the schema that checks the value downstream, so the two cannot disagree. */
export function schemaNumberOption(name: string, schema: ZodType) {
  const b = numberBounds(schema);
  if (b.integer) return integerOption(name, b.min ?? Number.MIN_SAFE_INTEGER, b.max);
  return numberOption(name, { min: b.min, max: b.max, exclusiveMin: b.exclusiveMin });
}

export function listOption(value: string): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
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
