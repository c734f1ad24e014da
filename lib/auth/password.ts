// Staff passwords: argon2id through @node-rs/argon2 (prebuilt binaries inside npm packages, nothing
// downloaded). Hashing and verifying run on libuv's thread pool, so concurrent sign-ins never stall
// the event loop that serves readers. Argon2 uses the whole password: bcrypt ignored everything past
// byte 72, so two long passwords sharing a prefix were the same password.
//
// Hashes written before argon2 are bcrypt ($2a$/$2b$/$2y$). They still verify, through @node-rs/bcrypt
// (also on the thread pool), and are replaced by an argon2id hash at the next successful sign-in.
import { hash as argon2Hash, verify as argon2Verify, type Options } from "@node-rs/argon2";
import { verify as bcryptVerify } from "@node-rs/bcrypt";

// OWASP's recommended argon2id parameters (19 MiB, 2 passes, 1 lane): about 30 ms per hash here.
// `algorithm: 2` is the package's const enum Algorithm.Argon2id, which isolated modules cannot import.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const satisfies Options;
// The parameter part of a hash made with ARGON2; a stored hash with other parameters is rehashed.
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;
const BCRYPT = /^\$2[aby]\$\d{2}\$/;

export function hashPassword(plain: string): Promise<string> {
  return argon2Hash(plain, ARGON2);
}

export interface PasswordCheck {
  ok: boolean;
  /** The hash is bcrypt or has old argon2 parameters: store hashPassword(plain) now that plain is known. */
  needsRehash: boolean;
}

export async function verifyPassword(plain: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith("$argon2")) {
    const ok = await argon2Verify(stored, plain).catch(() => false);
    return { ok, needsRehash: ok && !stored.startsWith(CURRENT_PREFIX) };
  }
  if (BCRYPT.test(stored)) {
    const ok = await bcryptVerify(plain, stored).catch(() => false);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

let dummy: Promise<string> | undefined;

// Checked when the email is unknown, so a miss costs as much time as a hit and does not reveal
// which addresses have accounts.
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummy ??= hashPassword("focus-timing-equaliser");
  await argon2Verify(await dummy, plain).catch(() => false);
  return false;
}
