import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { db } from "../lib/db/client";

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/user-create.ts", ...args], {
    encoding: "utf8",
    env: process.env,
  });
}

test("user:create makes a staff account and prints a generated password", async () => {
  const email = `cli-${randomBytes(4).toString("hex")}@test.local`;
  const r = run("--email", email, "--role", "coordinator");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Created coordinator ${email} with password: \\S{12,}`));
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  assert.equal(user.role, "COORDINATOR");
});

test("user:create refuses bad arguments with exit code 2 and a message", () => {
  const badRole = run("--email", "x@test.local", "--role", "SPECIALIST");
  assert.equal(badRole.status, 2);
  assert.match(badRole.stderr, /must be ADMIN, COORDINATOR or RESEARCHER/);
  const badEmail = run("--email", "not-an-email", "--role", "ADMIN", "--password", "long enough password");
  assert.equal(badEmail.status, 2);
  assert.match(badEmail.stderr, /Enter a valid email address/);
  const shortPassword = run("--email", "y@test.local", "--role", "ADMIN", "--password", "short");
  assert.equal(shortPassword.status, 2);
  assert.match(shortPassword.stderr, /at least 12 characters/);
  const commonPassword = run("--email", "z@test.local", "--role", "ADMIN", "--password", "password1234");
  assert.equal(commonPassword.status, 2);
  assert.match(commonPassword.stderr, /too easy to guess/);
});
