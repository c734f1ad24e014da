// One Prisma client per process, on the pg driver adapter (no native query engine needed).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "../config/env";

const globalForPrisma = globalThis as unknown as { focusPrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForPrisma.focusPrisma) {
    const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: Number(process.env.FOCUS_DB_POOL ?? 10) });
    globalForPrisma.focusPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.focusPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.focusPrisma?.$disconnect();
  globalForPrisma.focusPrisma = undefined;
}

export * from "./generated/client";
