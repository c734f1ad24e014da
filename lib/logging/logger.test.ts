import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "./logger";

function capture(options: { json: boolean; level?: string }) {
  const lines: { line: string; level: number }[] = [];
  const log = createLogger({ ...options, write: (line, level) => lines.push({ line, level }) });
  return { lines, log };
}

describe("logger", () => {
  test("production: one JSON object per line, with level, time, message and fields", () => {
    const { lines, log } = capture({ json: true });
    log.child({ name: "db" }).warn({ reason: "ECONNRESET" }, "connection lost");
    assert.equal(lines.length, 1);
    assert.ok(lines[0].line.endsWith("\n"));
    const entry = JSON.parse(lines[0].line) as Record<string, unknown>;
    assert.equal(entry.level, 40);
    assert.equal(entry.msg, "connection lost");
    assert.equal(entry.name, "db");
    assert.equal(entry.reason, "ECONNRESET");
    assert.equal(typeof entry.time, "number");
  });

  test("elsewhere: a plain line naming the level and the part that speaks", () => {
    const { lines, log } = capture({ json: false });
    log.child({ name: "worker" }).info("started");
    assert.match(lines[0].line, /^\d\d:\d\d:\d\d info \[worker\] started\n$/);
  });

  test("the level threshold drops lower levels, and an unknown level is refused", () => {
    const { lines, log } = capture({ json: true, level: "warn" });
    log.info("not shown");
    log.debug("not shown");
    log.error("shown");
    assert.deepEqual(
      lines.map((l) => l.level),
      [50],
    );
    assert.throws(() => createLogger({ level: "loud" }), /FOCUS_LOG_LEVEL must be one of/);
  });
});
