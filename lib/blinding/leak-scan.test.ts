import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { findForbidden, findSizeFingerprints, findStudyLeaks, forbiddenTermsForStudy } from "./leak-scan";
import { CAM_PAYLOAD_BYTES, encodeCamPayload } from "../ml/render/cam-payload";

const VARIANTS = ["baseline", "se", "cbam", "gc"];
const RUN_ID = "cm4x9k2pq0001abcd1234efgh";
const HEATMAP_UUID = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";

describe("findForbidden, substring mode (ids)", () => {
  test("finds a planted id anywhere, in any case, even glued to other characters", () => {
    const html = `<img src="/api/h/${RUN_ID.toUpperCase()}x.png">`;
    assert.deepEqual(findForbidden(html, [RUN_ID, "cm4zzzzzzzz"]), [RUN_ID]);
  });

  test("finds any planted id in arbitrary surrounding text (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.stringMatching(/^[a-z0-9]{20,30}$/), (before, after, id) => {
        assert.deepEqual(findForbidden(before + id + after, [id]), [id]);
      }),
      { numRuns: 300 },
    );
  });

  test("reports each term once, in the order given", () => {
    assert.deepEqual(findForbidden("bbbbbbbb aaaaaaaa bbbbbbbb", ["aaaaaaaa", "bbbbbbbb", "AAAAAAAA"]), [
      "aaaaaaaa",
      "bbbbbbbb",
    ]);
  });
});

describe("findForbidden, word mode (variant names)", () => {
  test("flags variant names standing alone or joined by punctuation", () => {
    const samples: [string, string[]][] = [
      ["Model A (CBAM)", ["cbam"]],
      ['{"variant":"se"}', ["se"]],
      ["resnet18_se.weights", ["se"]],
      ["SE-ResNet", ["se"]],
      ["model-gc", ["gc"]],
      ["Baseline.", ["baseline"]],
      ["gc/se", ["se", "gc"]],
    ];
    for (const [text, expected] of samples) {
      assert.deepEqual(findForbidden(text, VARIANTS, "word"), expected, text);
    }
  });

  test("does not flag ordinary words that merely contain a variant name", () => {
    // Documented: these are the reasons word mode needs boundaries at all.
    const innocuous = "second session; GCSE results; the sequence is useful; cbams; baselines; seconds; gcc; 5se";
    assert.deepEqual(findForbidden(innocuous, VARIANTS, "word"), []);
  });

  test("documented false negative: camelCase joins are not flagged", () => {
    assert.deepEqual(findForbidden("useSeBlock", VARIANTS, "word"), []);
  });

  test("documented false positives: why CSS and JS bundles are scanned in substring mode only", () => {
    assert.deepEqual(findForbidden(".row{align-items:baseline}", VARIANTS, "word"), ["baseline"]);
    assert.deepEqual(findForbidden("function(se,gc){return se+gc}", VARIANTS, "word"), ["se", "gc"]);
  });

  test("escapes regex metacharacters in terms", () => {
    assert.deepEqual(findForbidden("uses a+b here", ["a+b", "a.b"], "word"), ["a+b"]);
  });
});

describe("forbiddenTermsForStudy and findStudyLeaks", () => {
  const terms = forbiddenTermsForStudy({ variants: ["Baseline", "SE", "cbam", "gc"], ids: [RUN_ID, HEATMAP_UUID] });

  test("variants become words with their aliases; ids become lower-cased substrings, uuids also undashed", () => {
    for (const word of [
      "baseline",
      "se",
      "squeeze-and-excitation",
      "cbam",
      "convolutional block attention",
      "gc",
      "gcnet",
      "global context",
    ]) {
      assert.ok(terms.words.includes(word), word);
    }
    assert.ok(terms.substrings.includes(RUN_ID));
    assert.ok(terms.substrings.includes(HEATMAP_UUID.toLowerCase()));
    assert.ok(terms.substrings.includes(HEATMAP_UUID.replace(/-/g, "").toLowerCase()));
  });

  test("finds every planted leak in a reader page and nothing in a clean one", () => {
    const clean = `<h1>Case 3 of 40</h1><div>Model A</div><div>Model B</div><div>Model C</div>
      <img src="/r/heatmap/q3Jt0W9xYk2Lp8VbN4mZs6Hc1RfEaUdG"><p>Which map best highlights the second lesion?</p>`;
    assert.deepEqual(findStudyLeaks(clean, terms), []);

    const leaky = `${clean}<script>self.__data={"arm":"CBAM","heatmap":"${HEATMAP_UUID.replace(/-/g, "")}",
      "note":"Squeeze-and-Excitation","run":"${RUN_ID}"}</script>`;
    assert.deepEqual(
      findStudyLeaks(leaky, terms).sort(),
      ["cbam", HEATMAP_UUID.replace(/-/g, "").toLowerCase(), RUN_ID, "squeeze-and-excitation"].sort(),
    );
  });

  test("refuses ids too short to scan for meaningfully", () => {
    assert.throws(() => forbiddenTermsForStudy({ variants: [], ids: ["42"] }), RangeError);
  });
});

describe("findSizeFingerprints", () => {
  test("maps of one case must all have one size; the original is alone of its kind", () => {
    const clean = [1, 2].flatMap((caseNumber) => [
      { caseNumber, kind: "original", bytes: 20_000 + caseNumber },
      ...[0, 1, 2, 3].map(() => ({ caseNumber, kind: "map", bytes: CAM_PAYLOAD_BYTES })),
    ]);
    assert.deepEqual(findSizeFingerprints(clean), []);
    // Compressed maps would differ by content: one model's smoother map is smaller on every case.
    const leaky = clean.map((f, i) => (f.kind === "map" && i % 5 === 1 ? { ...f, bytes: 812 } : f));
    assert.deepEqual(findSizeFingerprints(leaky), [
      `case 1 map files differ in size (812, ${CAM_PAYLOAD_BYTES} bytes)`,
      `case 2 map files differ in size (812, ${CAM_PAYLOAD_BYTES} bytes)`,
    ]);
  });

  test("real raw-map payloads of different grids and values have one size", () => {
    const grids = [3, 7, 14].map((side, k) => ({
      width: side,
      height: side,
      values: Float32Array.from({ length: side * side }, (_, i) => ((i * (k + 3)) % 11) / 10),
    }));
    const files = grids.map((g) => ({ caseNumber: 1, kind: "map", bytes: encodeCamPayload(g).length }));
    assert.deepEqual(findSizeFingerprints(files), []);
  });
});
