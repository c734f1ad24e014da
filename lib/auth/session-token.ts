// The session cookie's claims, read the way next-auth's getServerSession reads them but without its cost on
// every request: getServerSession runs the whole next-auth request handler (options, cookies, callbacks),
// derives the encryption key from NEXTAUTH_SECRET twice (HKDF) and re-encrypts a renewed token that a server
// component or route handler cannot even send. Here the key is derived once per secret and process, and the
// cookie is only decrypted (jose's jwtDecrypt, which checks expiry as next-auth does). Issuing, renewing and
// ending sessions stay with next-auth (/api/auth/*), with the same cookie name, chunking and key.
import { hkdfSync } from "node:crypto";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { jwtDecrypt, type JWTPayload } from "jose";
import { authOptions } from "./options";

export interface SessionClaims {
  uid: string;
  sv: number | undefined;
  inv: string | undefined;
  isv: number | undefined;
}

// next-auth v4's key: HKDF-SHA256 of the secret, empty salt, this info string, 32 bytes (next-auth/jwt).
const KEY_INFO = "NextAuth.js Generated Encryption Key";
let derived: { secret: string; key: Uint8Array } | undefined;

function encryptionKey(secret: string): Uint8Array {
  if (derived?.secret !== secret)
    derived = { secret, key: new Uint8Array(hkdfSync("sha256", secret, "", KEY_INFO, 32)) };
  return derived.key;
}

async function decode({ token, secret }: { token?: string; secret: string | Buffer }): Promise<JWTPayload | null> {
  if (!token) return null;
  try {
    // The clock tolerance next-auth's decode uses.
    const { payload } = await jwtDecrypt(token, encryptionKey(String(secret)), { clockTolerance: 15 });
    return payload;
  } catch (e) {
    // Same report as next-auth's for a cookie that does not decode (lib/auth/auth-logger.ts throttles it).
    authOptions.logger?.error?.("JWT_SESSION_ERROR", e as Error);
    throw e;
  }
}

/** The claims of the request's session cookie, or null when there is none or it does not decode or expired. */
export async function sessionClaims(cookies: Record<string, string>): Promise<SessionClaims | null> {
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret) return null;
  const token = await getToken({
    // No headers: getServerSession reads only the cookie (getToken would also take an Authorization header).
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret,
    // getServerSession's cookie name: __Secure- prefixed when the site is served over https (NEXTAUTH_URL).
    secureCookie: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
    decode: decode,
  });
  // next-auth's session callback (lib/auth/options.ts) yields a user only for a token with both.
  if (!token || typeof token.uid !== "string" || !token.role) return null;
  return {
    uid: token.uid,
    sv: typeof token.sv === "number" ? token.sv : undefined,
    inv: typeof token.inv === "string" ? token.inv : undefined,
    isv: typeof token.isv === "number" ? token.isv : undefined,
  };
}

/** The claims of the session cookie of the request being handled (a server component or route handler). */
export async function requestSessionClaims(): Promise<SessionClaims | null> {
  return sessionClaims(Object.fromEntries((await cookies()).getAll().map((c) => [c.name, c.value])));
}
