// What Focus keeps in the session token: the user id, role and session version, nothing else.
import type { Role } from "../db/generated/enums";

declare module "next-auth" {
  interface User { role: Role; sessionVersion: number }
  interface Session { user?: { id: string; role: Role; sv?: number; name?: string | null; email?: string | null } }
}

declare module "next-auth/jwt" {
  interface JWT { uid?: string; role?: Role; sv?: number }
}
