import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readSettings } from "./study-settings";
import { parseStudySettings } from "./study-schemas";
import { settingsFromForm } from "./study-form";
import { isDomainError } from "../errors/domain-error";

describe("the study's colour map", () => {
  test("jet by default, also for settings stored before the choice existed", () => {
    assert.equal(readSettings({}).colourMap, "jet");
    assert.equal(readSettings({ showProbabilities: true }).colourMap, "jet");
  });

  test("the form's choice is parsed once; an unknown map is a field error", () => {
    const form = new FormData();
    form.set("rationaleMin", "5");
    form.set("rationaleMax", "500");
    form.set("colourMap", "viridis");
    assert.equal(parseStudySettings(settingsFromForm(form)).colourMap, "viridis");
    form.set("colourMap", "rainbow");
    assert.throws(
      () => parseStudySettings(settingsFromForm(form)),
      (e: unknown) =>
        isDomainError(e, "invalid") &&
        e.fields.some((f) => f.field.endsWith("colourMap") && /jet, turbo or viridis/.test(f.message)),
    );
  });
});
