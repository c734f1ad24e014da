import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";

/** Pass the transaction of the change being recorded, so the event and the change commit or fail together. */
export async function recordAudit(
  actorId: string | null,
  action: string,
  subject = "",
  details: Prisma.InputJsonValue = {},
  client: Pick<Prisma.TransactionClient, "auditEvent"> = db(),
): Promise<void> {
  await client.auditEvent.create({ data: { actorId, action, subject, details } });
}
