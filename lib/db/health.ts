import { db } from "./client";

export async function checkHealth(): Promise<{
  ok: boolean;
  database: "up" | "down";
  latencyMs?: number;
  error?: string;
}> {
  const t0 = Date.now();
  try {
    await db().$queryRaw`select 1`;
    return { ok: true, database: "up", latencyMs: Date.now() - t0 };
  } catch {
    return { ok: false, database: "down", error: "The database does not answer." };
  }
}
