import { test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";

test("hashes are argon2id with a salt, never the password", async () => {
  const a = await hashPassword("a fine long password");
  const b = await hashPassword("a fine long password");
  assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.notEqual(a, b);
  assert.ok(!a.includes("a fine long password"));
  assert.deepEqual(await verifyPassword("a fine long password", a), { ok: true, needsRehash: false });
  assert.deepEqual(await verifyPassword("a fine long passworD", a), { ok: false, needsRehash: false });
  assert.deepEqual(await verifyPassword("anything", "not a hash"), { ok: false, needsRehash: false });
});

test("the whole password counts: one sharing the first 72 bytes is a different password", async () => {
  const prefix = "x".repeat(72);
  const stored = await hashPassword(`${prefix}-the real ending`);
  assert.equal((await verifyPassword(`${prefix}-another ending`, stored)).ok, false);
  assert.equal((await verifyPassword(`${prefix}-the real ending`, stored)).ok, true);
});

test("old bcrypt hashes still verify and ask to be rehashed", async () => {
  const legacy = await bcryptHash("an old bcrypt password", 10);
  assert.deepEqual(await verifyPassword("an old bcrypt password", legacy), { ok: true, needsRehash: true });
  assert.deepEqual(await verifyPassword("not the old password", legacy), { ok: false, needsRehash: false });
});

test("concurrent password checks leave the event loop free (the work runs on the thread pool)", async () => {
  await verifyAgainstDummy("warm-up"); // the dummy hash is made once
  const before = performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: 12 }, (_, i) => verifyAgainstDummy(`guess ${i}`)));
  const elu = performance.eventLoopUtilization(before);
  // Hashing on the main thread keeps it busy throughout (utilisation near 1, few timer ticks).
  assert.ok(elu.utilization < 0.5, `event loop utilisation ${elu.utilization.toFixed(2)} during 12 checks`);
});
