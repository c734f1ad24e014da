import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../logging/logger";
import { authLogger, UNDECODABLE_COOKIE_MESSAGE } from "./auth-logger";

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ json: true, write: (line) => lines.push(line) }) };
}

describe("next-auth's log events", () => {
  test("an undecodable session cookie on every request logs one line per interval, without a stack", () => {
    const { lines, log } = capture();
    const auth = authLogger(log, { intervalMs: 60_000, now: Date.now });
    const jwe = Object.assign(new Error("Invalid Compact JWE"), { name: "JWEInvalid" });
    for (let i = 0; i < 50; i++) auth.error("JWT_SESSION_ERROR", jwe);
    assert.equal(lines.length, 1, lines.join(""));
    const entry = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.equal(entry.msg, UNDECODABLE_COOKIE_MESSAGE);
    assert.equal(entry.level, 40);
    assert.ok(!lines[0].includes("\\n    at "), "no stack trace");
    assert.equal(lines[0].trimEnd().split("\n").length, 1);
  });

  test("the next line after the interval counts the lines it left out", () => {
    const { lines, log } = capture();
    let now = 0;
    const auth = authLogger(log, { intervalMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) auth.error("JWT_SESSION_ERROR", new Error("Invalid Compact JWE"));
    now = 59_999;
    auth.error("JWT_SESSION_ERROR", new Error("Invalid Compact JWE"));
    assert.equal(lines.length, 1);
    now = 60_000;
    auth.error("JWT_SESSION_ERROR", new Error("Invalid Compact JWE"));
    assert.equal(lines.length, 2);
    assert.equal((JSON.parse(lines[1]) as { suppressed: number }).suppressed, 5);
  });

  test("other next-auth errors keep their error, as one JSON line", () => {
    const { lines, log } = capture();
    authLogger(log).error("SIGNIN_OAUTH_ERROR", { error: new Error("boom"), providerId: "x", message: "boom" });
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]) as { code: string; err: { message: string }; level: number };
    assert.equal(entry.code, "SIGNIN_OAUTH_ERROR");
    assert.equal(entry.err.message, "boom");
    assert.equal(entry.level, 50);
  });
});
