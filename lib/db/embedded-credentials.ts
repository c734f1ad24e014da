// Passwords of the embedded PostgreSQL, random per install and kept in one 0600 file beside the data folder
// (./data/pg-credentials.json). Two roles: the bootstrap superuser, used only here to provision, and the
// role the app, CLI and workers connect as, which owns the Focus database and nothing else.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { text } from "../validation/text";

export const SUPERUSER_ROLE = "focus";
export const APP_ROLE = "focus_app";
export const APP_DATABASE = "focus";

/**
 * Folders made before passwords were generated have the superuser `focus` with this password. It is only
 * ever tried to rotate it away, never to connect the app.
 */
export const LEGACY_SUPERUSER_PASSWORD = "focus-local";

const roleSchema = z.object({ name: text().regex(/^[a-z_][a-z0-9_]*$/), password: text().min(24) });
const credentialsSchema = z.object({ superuser: roleSchema, app: roleSchema });
export type EmbeddedCredentials = z.infer<typeof credentialsSchema>;

export function credentialsFileFor(dataDir: string): string {
  return join(dirname(dataDir), "pg-credentials.json");
}

function newPassword(): string {
  // base64url: nothing that needs escaping in a URL or an SQL literal.
  return randomBytes(32).toString("base64url");
}

/**
 * Reads the credentials file, creating it with fresh random passwords when missing. The file is written
 * (atomically, 0600) before any role is changed, so a crash part-way never loses a password that the server
 * already uses: the next start reads the same file and finishes the job.
 */
export function ensureCredentials(file: string): { credentials: EmbeddedCredentials; created: boolean } {
  if (existsSync(file)) {
    // A copy or restore may have widened the mode; the passwords are as good as the file's protection.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success)
      throw new Error(`${file} is not a valid embedded PostgreSQL credentials file; restore it from a backup.`);
    return { credentials: parsed.data, created: false };
  }
  const credentials: EmbeddedCredentials = {
    superuser: { name: SUPERUSER_ROLE, password: newPassword() },
    app: { name: APP_ROLE, password: newPassword() },
  };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    // link, not rename: when two processes start at once, exactly one file wins and both use it.
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return ensureCredentials(file);
  } finally {
    unlinkSync(tmp);
  }
  return { credentials, created: true };
}

export function roleUrl(role: { name: string; password: string }, database: string, port: number): string {
  return `postgres://${role.name}:${encodeURIComponent(role.password)}@127.0.0.1:${port}/${database}`;
}
