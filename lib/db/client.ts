// One Prisma client per process, on the pg driver adapter (no native query engine needed).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "../config/env";
import { logger } from "../logging/logger";

const globalForPrisma = globalThis as unknown as { focusPrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForPrisma.focusPrisma) {
    // An idle connection dropped by the server (restart, failover) is expected: the pool replaces it on the
    // next query. Log one line instead of an unhandled 'error' event with a stack.
    const dropped = (err: Error) =>
      logger.warn({ name: "db", reason: err.message }, "connection lost; it will be replaced");
    const adapter = new PrismaPg(
      { connectionString: env().DATABASE_URL, max: env().FOCUS_DB_POOL },
      { onPoolError: dropped, onConnectionError: dropped },
    );
    globalForPrisma.focusPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.focusPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.focusPrisma?.$disconnect();
  globalForPrisma.focusPrisma = undefined;
}

export * from "./generated/client";
