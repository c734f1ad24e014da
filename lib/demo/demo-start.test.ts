import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { db } from "../db/client";
import { hashPassword, verifyPassword } from "../auth/password";
import { createStudyFixture } from "../testing/study-fixture";
import { seedDemoAccounts, signInLines } from "./seed-accounts";
import { demoReaderLink } from "./demo-pipeline";

const DEMO_EMAILS = ["admin@focus.demo", "coordinator@focus.demo", "researcher@focus.demo"];

describe("what a demo start prints (real database)", () => {
  test("passwords only when the accounts are created; afterwards the file that holds them", async () => {
    await db().user.deleteMany({ where: { email: { in: DEMO_EMAILS } } });
    const dir = mkdtempSync(join(tmpdir(), "focus-demo-"));
    try {
      const file = join(dir, "demo-accounts.json");
      const first = await seedDemoAccounts(file);
      const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const firstOut = signInLines(first, "data/demo-accounts.json").join("\n");
      for (const a of first) {
        assert.equal(a.createdWithPassword, stored[a.email]);
        assert.ok(firstOut.includes(`password: ${stored[a.email]}`), firstOut);
      }
      assert.ok(!firstOut.includes("data/demo-accounts.json"));

      // The coordinator changes their password in the app, the admin deactivates the researcher.
      const changed = "a changed password, long enough";
      await db().user.update({
        where: { email: "coordinator@focus.demo" },
        data: { passwordHash: await hashPassword(changed) },
      });
      await db().user.update({ where: { email: "researcher@focus.demo" }, data: { active: false } });

      const again = await seedDemoAccounts(file);
      const againOut = signInLines(again, "data/demo-accounts.json").join("\n");
      assert.ok(again.every((a) => a.createdWithPassword === null));
      for (const password of Object.values(stored)) assert.ok(!againOut.includes(password), againOut);
      assert.match(againOut, /data\/demo-accounts\.json/);
      const coordinator = await db().user.findUniqueOrThrow({ where: { email: "coordinator@focus.demo" } });
      const check = await verifyPassword(changed, coordinator.passwordHash!);
      assert.equal(check.ok, true, "a later start must not reset a password");
      const researcher = await db().user.findUniqueOrThrow({ where: { email: "researcher@focus.demo" } });
      assert.equal(researcher.active, false, "a later start must not reactivate an account");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a reader link only when the invitation is created, or when a new one is asked for", async () => {
    if (!(await db().user.findUnique({ where: { email: "coordinator@focus.demo" } }))) {
      await seedDemoAccounts(join(mkdtempSync(join(tmpdir(), "focus-demo-")), "a.json"));
    }
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const first = await demoReaderLink(f.studyId, { reissue: false });
    assert.match(first ?? "", /\/invite\//);
    assert.equal(await demoReaderLink(f.studyId, { reissue: false }), null);
    const fresh = await demoReaderLink(f.studyId, { reissue: true });
    assert.match(fresh ?? "", /\/invite\//);
    assert.notEqual(fresh, first);
  });
});
