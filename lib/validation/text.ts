// The one way to declare a text field in a zod schema. PostgreSQL cannot store a NUL character in text or
// jsonb (it answers 22021 / 22P05, which surfaced as a 500 and made clients retry), so every text schema
// refuses it here, at the boundary, with an ordinary 400 / field error instead.
import { z } from "zod";

export const NUL_MESSAGE = "must not contain a NUL character";

/** True when `value` holds U+0000 anywhere. */
export function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

/**
 * `z.string(params)` that refuses NUL. Returns a plain ZodString, so `.trim()`, `.min()`, `.email()`,
 * `.regex()` and the rest chain as usual.
 */
export function text(params?: Parameters<typeof z.string>[0]): z.ZodString {
  return z.string(params).refine((v) => !hasNul(v), { message: NUL_MESSAGE, abort: true });
}
