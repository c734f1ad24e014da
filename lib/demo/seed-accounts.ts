// Demo accounts with passwords generated on first run and kept in ./data (never committed), so a
// newcomer can sign in as each role and a public demo never ships a known password.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { newPseudonym, pseudonymPrefix } from "../users/pseudonym";
import type { Role } from "../db/generated/enums";

export interface DemoAccount { email: string; password: string; role: Role; name: string }

const ACCOUNTS: Omit<DemoAccount, "password">[] = [
  { email: "admin@focus.demo", role: "ADMIN", name: "Ada Admin" },
  { email: "coordinator@focus.demo", role: "COORDINATOR", name: "Cora Coordinator" },
  { email: "researcher@focus.demo", role: "RESEARCHER", name: "Rex Researcher" },
];

export async function seedDemoAccounts(file = resolve("data/demo-accounts.json")): Promise<DemoAccount[]> {
  let passwords: Record<string, string> = {};
  if (existsSync(file)) passwords = JSON.parse(readFileSync(file, "utf8"));
  const out: DemoAccount[] = [];
  for (const a of ACCOUNTS) {
    const password = passwords[a.email] ?? randomBytes(9).toString("base64url");
    passwords[a.email] = password;
    const passwordHash = await hashPassword(password);
    await db().user.upsert({
      where: { email: a.email },
      update: { passwordHash, role: a.role, active: true },
      create: { ...a, passwordHash, pseudonym: newPseudonym(pseudonymPrefix(a.role)) },
    });
    out.push({ ...a, password });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  return out;
}
