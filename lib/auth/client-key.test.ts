import { test } from "node:test";
import assert from "node:assert/strict";
import { clientKeyFromHeaders } from "./client-key";

test("forwarded addresses count only behind a trusted proxy", () => {
  const headers = { "x-forwarded-for": "203.0.113.7, 10.0.0.1" };
  assert.equal(clientKeyFromHeaders(headers, false), null);
  assert.equal(clientKeyFromHeaders(headers, true), "203.0.113.7");
  assert.equal(clientKeyFromHeaders(new Headers({ "x-real-ip": "198.51.100.2" }), true), "198.51.100.2");
  assert.equal(clientKeyFromHeaders({}, true), null);
});
