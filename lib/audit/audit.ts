import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";

export async function recordAudit(actorId: string | null, action: string, subject = "", details: Prisma.InputJsonValue = {}): Promise<void> {
  await db().auditEvent.create({ data: { actorId, action, subject, details } });
}
