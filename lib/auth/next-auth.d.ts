// What Focus keeps in the session token: the user id, role and session version, and for a reader the
// invitation the session was started from, nothing else.
import type { Role } from "../db/generated/enums";

declare module "next-auth" {
  interface User {
    role: Role;
    sessionVersion: number;
    invitationId?: string;
    invitationSessionVersion?: number;
  }
  interface Session {
    user?: {
      id: string;
      role: Role;
      sv?: number;
      invitationId?: string;
      isv?: number;
      name?: string | null;
      email?: string | null;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    sv?: number;
    inv?: string;
    isv?: number;
  }
}
