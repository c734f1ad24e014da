// Sign-in throttling kept in Postgres, so it holds across restarts and across app instances.
import { db } from "../db/client";

export const SIGNIN_WINDOW_MS = 15 * 60 * 1000;
export const SIGNIN_MAX_FAILURES = 8;

export async function tooManyFailures(keys: string[], now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - SIGNIN_WINDOW_MS);
  for (const key of keys) {
    const failures = await db().signInAttempt.count({ where: { key, success: false, createdAt: { gte: since } } });
    if (failures >= SIGNIN_MAX_FAILURES) return true;
  }
  return false;
}

export async function recordAttempt(keys: string[], success: boolean): Promise<void> {
  await db().signInAttempt.createMany({ data: keys.map((key) => ({ key, success })) });
}
