import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { NEEDS_TWO_READERS } from "./estimate";
import { iccTwoWayAgreement } from "./icc";
import { ANXIETY, SHROUT_FLEISS } from "../testing/stats-rank-and-rating-examples";
import { assertClose } from "../testing/assert-close";

describe("iccTwoWayAgreement", () => {
  test("irr's anxiety example: ICC(A,1) = 0.198, F(19,39.7) = 1.83, p = 0.0543, CI −0.039 to 0.494", () => {
    const r = iccTwoWayAgreement(ANXIETY);
    assert.ok(r.defined && r.single.defined);
    const s = r.single;
    assertClose(s.icc, 0.198, 5e-4, "ICC(A,1)");
    assert.ok(s.f_test.defined && s.interval.defined);
    assertClose(s.f_test.f, 1.83, 5e-3, "F");
    assert.equal(s.f_test.df1, 19);
    assertClose(s.f_test.df2, 39.7, 0.05, "df2");
    assertClose(s.f_test.p_value, 0.0543, 5e-5, "p");
    assertClose(s.interval.low, -0.039, 5e-4, "lower");
    assertClose(s.interval.high, 0.494, 5e-4, "upper");
    // Full digits from the same formulas evaluated with SciPy's F distribution (independent implementation).
    assertClose(s.icc, 0.1979982593559615, 1e-12);
    assertClose(s.f_test.df2, 39.74604092078144, 1e-9);
    assertClose(s.f_test.p_value, 0.05426568131784287, 1e-7);
    assertClose(s.interval.low, -0.03891062609316052, 1e-6);
    assertClose(s.interval.high, 0.4935739459721223, 1e-6);
    assert.equal(r.n_subjects, 20);
    assert.equal(r.n_raters, 3);
  });
  test("irr's anxiety example, average measures ICC(A,3)", () => {
    const r = iccTwoWayAgreement(ANXIETY);
    assert.ok(r.defined && r.average.defined);
    const a = r.average;
    assert.ok(a.f_test.defined && a.interval.defined);
    assertClose(a.icc, 0.42549875311720664, 1e-12, "ICC(A,3)");
    assertClose(a.f_test.df2, 37.50894007169811, 1e-8, "df2");
    assertClose(a.f_test.p_value, 0.056778218708002814, 1e-7, "p");
    assertClose(a.interval.low, -0.13730809050241125, 1e-6, "lower");
    assertClose(a.interval.high, 0.7463257235705164, 1e-6, "upper");
  });
  test("Shrout & Fleiss (1979) Table 2: ICC(2,1) = .29, ICC(2,4) = .62, F = 11.03", () => {
    const r = iccTwoWayAgreement(SHROUT_FLEISS);
    assert.ok(r.defined && r.single.defined && r.average.defined);
    assertClose(r.single.icc, 0.29, 5e-3, "ICC(2,1)");
    assertClose(r.average.icc, 0.62, 5e-3, "ICC(2,4)");
    assert.ok(r.single.f_test.defined);
    assertClose(r.single.f_test.f, 11.03, 5e-3, "F = BMS / EMS");
    // Mean squares of Shrout & Fleiss' Table 3: BMS = 11.24, JMS = 32.49, EMS = 1.02.
    assertClose(r.ms_rows, 11.24, 5e-3);
    assertClose(r.ms_columns, 32.49, 5e-3);
    assertClose(r.ms_error, 1.02, 5e-3);
  });
  test("readers who agree up to a constant: the ICC exists, the F test and interval do not", () => {
    const r = iccTwoWayAgreement([
      [1, 2],
      [2, 3],
      [4, 5],
    ]);
    assert.ok(r.defined && r.single.defined);
    assert.ok(r.single.icc > 0 && r.single.icc < 1);
    assert.equal(r.single.f_test.defined, false);
    assert.equal(r.single.interval.defined, false);
  });
  test("undefined with one reader, one subject, or constant ratings", () => {
    assert.deepEqual(iccTwoWayAgreement([[1], [2]]), { defined: false, because: NEEDS_TWO_READERS });
    assert.equal(iccTwoWayAgreement([[1, 2]]).defined, false);
    assert.equal(
      iccTwoWayAgreement([
        [3, 3],
        [3, 3],
      ]).defined,
      false,
    );
  });
});
