import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  heatmapToken,
  isWellFormedToken,
  newOpaqueToken,
  resolveHeatmapToken,
  tokensEqual,
  verifyHeatmapToken,
} from "./opaque-id";

const SECRET = "test-secret-0123456789abcdef";
const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/** Bits carried by an unpadded base64url string. */
const base64urlBits = (token: string) => Buffer.from(token, "base64url").length * 8;

describe("newOpaqueToken", () => {
  test("URL-safe, at least 128 bits, and unique over many draws", () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const token = newOpaqueToken();
      assert.match(token, URL_SAFE);
      assert.ok(base64urlBits(token) >= 128, token);
      assert.equal(encodeURIComponent(token), token);
      assert.ok(isWellFormedToken(token));
      tokens.add(token);
    }
    assert.equal(tokens.size, 5000);
  });
});

describe("heatmapToken", () => {
  test("URL-safe, 256 bits, deterministic", () => {
    const token = heatmapToken(SECRET, "reader-1", "case-1", 0);
    assert.match(token, URL_SAFE);
    assert.equal(base64urlBits(token), 256);
    assert.equal(token, heatmapToken(SECRET, "reader-1", "case-1", 0));
  });

  test("unique over every (reader, case, slot) of a realistic study", () => {
    const tokens = new Set<string>();
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 50; c++) {
        for (let s = 0; s < 6; s++) tokens.add(heatmapToken(SECRET, `reader-${r}`, `case-${c}`, s));
      }
    }
    assert.equal(tokens.size, 20 * 50 * 6);
  });

  test("field boundaries cannot be shifted to forge a collision", () => {
    assert.notEqual(heatmapToken(SECRET, "ab", "c", 0), heatmapToken(SECRET, "a", "bc", 0));
    assert.notEqual(heatmapToken(SECRET, "a", "b1", 0), heatmapToken(SECRET, "a", "b", 10));
  });

  test("reveals nothing: none of its inputs appear in it, and another secret gives an unrelated token", () => {
    const token = heatmapToken(SECRET, "reader-cbam", "case-baseline", 1);
    for (const part of ["reader", "cbam", "case", "baseline"]) assert.ok(!token.toLowerCase().includes(part));
    assert.notEqual(token, heatmapToken(`${SECRET}x`, "reader-cbam", "case-baseline", 1));
  });

  test("refuses a weak secret and empty fields", () => {
    assert.throws(() => heatmapToken("short", "r", "c", 0), RangeError);
    assert.throws(() => heatmapToken(SECRET, "", "c", 0), TypeError);
    assert.throws(() => heatmapToken(SECRET, "r", "c", -1), RangeError);
  });
});

describe("verifyHeatmapToken", () => {
  test("accepts the right (reader, case, slot) and nothing else (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.nat(5),
        (reader, otherReader, studyCase, slot) => {
          fc.pre(reader !== otherReader);
          const token = heatmapToken(SECRET, reader, studyCase, slot);
          assert.ok(verifyHeatmapToken(SECRET, reader, studyCase, slot, token));
          assert.ok(!verifyHeatmapToken(SECRET, otherReader, studyCase, slot, token), "another reader");
          assert.ok(!verifyHeatmapToken(SECRET, reader, studyCase, (slot + 1) % 6, token), "another slot");
          assert.ok(!verifyHeatmapToken(SECRET, reader, `${studyCase}x`, slot, token), "another case");
          assert.ok(!verifyHeatmapToken(`${SECRET}!`, reader, studyCase, slot, token), "another secret");
        },
      ),
      { numRuns: 200 },
    );
  });

  test("rejects malformed and tampered tokens", () => {
    const token = heatmapToken(SECRET, "r", "c", 2);
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    assert.ok(!verifyHeatmapToken(SECRET, "r", "c", 2, flipped));
    assert.ok(!verifyHeatmapToken(SECRET, "r", "c", 2, token.slice(0, -1)));
    assert.ok(!verifyHeatmapToken(SECRET, "r", "c", 2, `${token}/../x`));
    assert.ok(!verifyHeatmapToken(SECRET, "r", "c", 2, ""));
  });
});

describe("resolveHeatmapToken", () => {
  const cases = [
    { studyCaseId: "case-a", slotCount: 3 },
    { studyCaseId: "case-b", slotCount: 3 },
    { studyCaseId: "case-c", slotCount: 3 },
  ];

  test("finds the (case, slot) of the reader's own token", () => {
    for (const { studyCaseId } of cases) {
      for (let slot = 0; slot < 3; slot++) {
        const token = heatmapToken(SECRET, "reader-1", studyCaseId, slot);
        assert.deepEqual(resolveHeatmapToken(SECRET, "reader-1", token, cases), { studyCaseId, slot });
      }
    }
  });

  test("returns null for another reader's token, a slot beyond the study, or junk", () => {
    const othersToken = heatmapToken(SECRET, "reader-2", "case-b", 1);
    assert.equal(resolveHeatmapToken(SECRET, "reader-1", othersToken, cases), null);
    const slotThree = heatmapToken(SECRET, "reader-1", "case-b", 3);
    assert.equal(resolveHeatmapToken(SECRET, "reader-1", slotThree, cases), null);
    assert.equal(resolveHeatmapToken(SECRET, "reader-1", "not a token", cases), null);
  });
});

describe("tokensEqual", () => {
  test("compares exactly, including length", () => {
    assert.ok(tokensEqual("abc", "abc"));
    assert.ok(!tokensEqual("abc", "abd"));
    assert.ok(!tokensEqual("abc", "abcd"));
    assert.ok(!tokensEqual("", "a"));
  });
});
