// What Focus keeps in the session token: the user id and role, nothing else.
import type { Role } from "../db/generated/enums";

declare module "next-auth" {
  interface User { role: Role }
  interface Session { user?: { id: string; role: Role; name?: string | null; email?: string | null } }
}

declare module "next-auth/jwt" {
  interface JWT { uid?: string; role?: Role }
}
