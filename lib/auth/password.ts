// Staff passwords: bcrypt (cost 12) from bcryptjs, a maintained pure-JS implementation, so no
// native addon has to build on an air-gapped machine.
import bcrypt from "bcryptjs";

const COST = 12;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

let dummy: Promise<string> | undefined;

// Checked when the email is unknown, so a miss costs as much time as a hit and does not reveal
// which addresses have accounts.
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummy ??= bcrypt.hash("focus-timing-equaliser", COST);
  await bcrypt.compare(plain, await dummy);
  return false;
}
