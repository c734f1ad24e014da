// The shared body reader stops at its limit while the body streams in: an endless chunked body is never
// read further than one chunk past the limit, and the stream is cancelled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readBody } from "./body";
import { isDomainError } from "../errors/domain-error";

const CHUNK = 64 * 1024;

/** A request whose body yields `totalBytes` in 64 KiB chunks on demand and records how much was pulled. */
function streamingRequest(totalBytes: number, headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= totalBytes) return controller.close();
        const n = Math.min(CHUNK, totalBytes - seen.pulled);
        seen.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(0x61));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request("http://x/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, seen };
}

test("a 64 MiB chunked body is refused after reading just past the limit, and the stream is cancelled", async () => {
  const { req, seen } = streamingRequest(64 * 1024 * 1024);
  await assert.rejects(readBody(req, 16 * 1024), (e) => isDomainError(e, "too-large"));
  assert.ok(seen.pulled <= 16 * 1024 + 2 * CHUNK, `pulled ${seen.pulled} bytes`);
  assert.equal(seen.cancelled, true);
});

test("a declared Content-Length over the limit is refused before anything is read", async () => {
  const { req, seen } = streamingRequest(1024 * 1024, { "content-length": String(1024 * 1024) });
  await assert.rejects(readBody(req, 1024), (e) => isDomainError(e, "too-large"));
  assert.equal(seen.pulled, 0);
});

test("a body at the limit is read whole; one byte more is refused", async () => {
  const limit = 3 * CHUNK + 5;
  assert.equal((await readBody(streamingRequest(limit).req, limit)).length, limit);
  await assert.rejects(readBody(streamingRequest(limit + 1).req, limit), (e) => isDomainError(e, "too-large"));
  assert.equal((await readBody(new Request("http://x/", { method: "POST" }), 10)).length, 0);
});
