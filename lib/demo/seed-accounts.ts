// Demo accounts with passwords generated when an account is created and kept in ./data (never committed), so a
// newcomer can sign in as each role and a public demo never ships a known password. Existing accounts are left
// alone: a later start neither resets a password changed in the app nor reactivates an account an admin
// deactivated, and it has no password to print.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { text } from "../validation/text";
import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { newPseudonym, pseudonymPrefix } from "../users/pseudonym";
import type { Role } from "../db/generated/enums";

export interface DemoAccount {
  email: string;
  role: Role;
  name: string;
  /** Set only for an account created by this call; afterwards the password is in the file only. */
  createdWithPassword: string | null;
}

const ACCOUNTS: Omit<DemoAccount, "createdWithPassword">[] = [
  { email: "admin@focus.demo", role: "ADMIN", name: "Ada Admin" },
  { email: "coordinator@focus.demo", role: "COORDINATOR", name: "Cora Coordinator" },
  { email: "researcher@focus.demo", role: "RESEARCHER", name: "Rex Researcher" },
];

export const DEMO_PASSWORD_FILE = "data/demo-accounts.json";

const passwordFileSchema = z.record(text(), text());

export async function seedDemoAccounts(file = resolve(DEMO_PASSWORD_FILE)): Promise<DemoAccount[]> {
  const passwords = existsSync(file) ? passwordFileSchema.parse(JSON.parse(readFileSync(file, "utf8"))) : {};
  const out: DemoAccount[] = [];
  for (const a of ACCOUNTS) {
    if (await db().user.findUnique({ where: { email: a.email }, select: { id: true } })) {
      out.push({ ...a, createdWithPassword: null });
      continue;
    }
    // A database wiped under a kept file gets the passwords the file already shows.
    const password = passwords[a.email] ?? randomBytes(12).toString("base64url");
    passwords[a.email] = password;
    await db().user.create({
      data: { ...a, passwordHash: await hashPassword(password), pseudonym: newPseudonym(pseudonymPrefix(a.role)) },
    });
    out.push({ ...a, createdWithPassword: password });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  return out;
}

/** What `npm run demo` prints about sign-in: the passwords when just created, otherwise where they are. */
export function signInLines(accounts: DemoAccount[], passwordFile: string): string[] {
  const lines = accounts.map((a) =>
    `  ${a.role.padEnd(12)} ${a.email.padEnd(26)} ${a.createdWithPassword ? `password: ${a.createdWithPassword}` : ""}`.trimEnd(),
  );
  if (accounts.some((a) => !a.createdWithPassword)) {
    lines.push(`  Passwords as generated at creation: ${passwordFile} (a password changed in the app is not there).`);
  }
  return lines;
}
