// Exports name readers by pseudonym ("R-7KQ2MX"), never by email. Random, so it carries no order
// of invitation and no identity.
import { randomInt } from "node:crypto";

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O, 1/I: read aloud and typed by hand

export function newPseudonym(prefix: string): string {
  let s = "";
  for (let i = 0; i < 6; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${s}`;
}

export function pseudonymPrefix(role: string): string {
  return role === "SPECIALIST" ? "R" : role[0];
}
