// Invitation links carry a random token; only its SHA-256 is stored, so a database dump cannot
// be turned into working links.
import { createHash, randomBytes } from "node:crypto";

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
