import { test } from "node:test";
import assert from "node:assert/strict";
import { assertDatabaseReachable } from "./reachability";
import { isDomainError } from "../errors/domain-error";

test("an unreachable database gives one actionable sentence, not a driver stack", async () => {
  await assert.rejects(assertDatabaseReachable("postgres://nobody@127.0.0.1:1/focus", 2000), (e: unknown) => {
    assert.ok(isDomainError(e, "unavailable") && e.code === "database-unreachable");
    assert.match(
      (e as Error).message,
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:1\/focus: nothing is listening there\. Check DATABASE_URL/,
    );
    return true;
  });
});

test("the database named by DATABASE_URL answers", async () => {
  await assertDatabaseReachable(process.env.DATABASE_URL!);
});
