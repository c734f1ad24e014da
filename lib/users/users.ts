// Creating and (de)activating accounts. Validation happens here, not in the callers.
import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { passwordProblem } from "../auth/password-policy";
import { newPseudonym, pseudonymPrefix } from "./pseudonym";
import { staffUserInputSchema } from "./user-input";
import { DomainError } from "../errors/domain-error";
import { parseInput } from "../errors/field-errors";
import { recordAudit } from "../audit/audit";
import { endUserSessions } from "../auth/session-version";

export async function createStaffUser(input: unknown, actorId: string | null) {
  const data = parseInput(staffUserInputSchema, input, "Fix the highlighted fields; nothing was saved.");
  const weak = passwordProblem(data.password, [data.email, data.name]);
  if (weak)
    throw DomainError.invalid("Fix the highlighted fields; nothing was saved.", [{ field: "password", message: weak }]);
  const existing = await db().user.findUnique({ where: { email: data.email } });
  if (existing) throw DomainError.conflict(`A user with email ${data.email} already exists.`);
  const user = await db().user.create({
    data: {
      email: data.email,
      name: data.name,
      role: data.role,
      passwordHash: await hashPassword(data.password),
      pseudonym: newPseudonym(pseudonymPrefix(data.role)),
    },
    select: { id: true, email: true, name: true, role: true, pseudonym: true },
  });
  await recordAudit(actorId, "user.create", user.id, { role: user.role });
  return user;
}

export async function setUserActive(userId: string, active: boolean, actorId: string) {
  if (userId === actorId && !active) throw DomainError.invalid("You cannot deactivate your own account.");
  const user = await db().$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: userId }, data: { active } }).catch(() => null);
    if (!updated) return null;
    await tx.auditEvent.create({
      data: { actorId, action: active ? "user.activate" : "user.deactivate", subject: userId },
    });
    // Otherwise a session from before the deactivation would work again after a reactivation.
    if (!active) await endUserSessions(tx, userId, "deactivated", actorId);
    return updated;
  });
  if (!user) throw DomainError.notFound("No such user.");
  return user;
}

export function listUsers() {
  return db().user.findMany({
    orderBy: [{ active: "desc" }, { role: "asc" }, { email: "asc" }],
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      specialty: true,
      pseudonym: true,
      active: true,
      createdAt: true,
    },
  });
}
