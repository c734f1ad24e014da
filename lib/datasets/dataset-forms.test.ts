import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isDomainError } from "@/lib/errors/domain-error";
import { folderImportFromForm } from "./dataset-forms";

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("folder import form", () => {
  test("the label-table picker's fields, fit and window are parsed once into the import request", () => {
    const request = folderImportFromForm(
      form({
        folder: "/data/imports/ham",
        name: "HAM",
        labels: "HAM10000_metadata.csv",
        imageColumn: "image_id",
        labelColumn: "dx",
        positive: "mel",
        negative: "nv,bkl",
        splitColumn: "",
        groupColumn: "lesion_id",
        maskColumn: "",
        fit: "contain",
        window: "40, 400",
      }),
    );
    assert.equal(request.labels, "HAM10000_metadata.csv");
    assert.equal(request.negative, "nv,bkl");
    assert.equal(request.splitColumn, undefined);
    assert.equal(request.groupColumn, "lesion_id");
    assert.equal(request.fit, "contain");
    assert.deepEqual(request.window, { center: 40, width: 400 });
  });

  test("a table without negative values, a bad fit or a bad window names the field", () => {
    const fieldsOf = (fields: Record<string, string>) => {
      try {
        folderImportFromForm(form({ folder: "/data/x", name: "X", positive: "mel", ...fields }));
        return [];
      } catch (e) {
        assert.ok(isDomainError(e, "invalid"));
        return (e.fields ?? []).map((f) => f.field);
      }
    };
    assert.deepEqual(fieldsOf({ labels: "t.csv", imageColumn: "id", labelColumn: "dx" }), ["negative"]);
    assert.deepEqual(fieldsOf({ fit: "stretch" }), ["fit"]);
    assert.deepEqual(fieldsOf({ window: "40" }), ["window"]);
    assert.deepEqual(fieldsOf({ window: "40,0" }), ["window"]);
  });
});
