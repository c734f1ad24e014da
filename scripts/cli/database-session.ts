// DB-using commands: find and migrate the database first, and always release it (pool, pg-boss, embedded
// server) at the end so the process exits promptly.
import { disconnectDb } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/prepare";
import { stopSharedBoss } from "@/lib/jobs/queues";

export async function withDatabase<T>(fn: () => Promise<T>): Promise<T> {
  // Progress goes to stderr so that stdout stays clean for --json output.
  const prepared = await prepareDatabase({ log: (m) => console.error(m) });
  try {
    return await fn();
  } finally {
    await stopSharedBoss();
    await disconnectDb();
    await prepared.embedded?.stop().catch(() => undefined);
  }
}
