// The researcher console's dataset forms: a folder import (server action) and the query string of a zip
// upload (route), parsed once with the importer's own schemas (their messages already name the fields).
import { z } from "zod";
import { parseForm } from "@/lib/errors/field-errors";
import { text } from "@/lib/validation/text";
import {
  deleteDatasetInputSchema,
  imageFitSchema,
  importFolderInputSchema,
  modalitySchema,
  renameDatasetInputSchema,
  type DeleteDatasetInput,
  type ImportFolderRequest,
  type RenameDatasetInput,
} from "./dataset-inputs";

/** FormData values: a missing or blank field is undefined, so schema defaults apply. */
function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export function folderImportFromForm(form: FormData, createdById?: string): ImportFolderRequest {
  return parseForm(importFolderInputSchema, {
    folder: field(form, "folder") ?? "",
    name: field(form, "name") ?? "",
    positive: field(form, "positive") ?? "",
    modality: field(form, "modality"),
    size: field(form, "size"),
    description: field(form, "description"),
    createdById,
    fit: field(form, "fit"),
    window: field(form, "window"),
    ...labelTableFields(form),
  });
}

/** The label-table mapping the console's picker fills in (hidden fields); absent without a table. */
function labelTableFields(form: FormData) {
  return {
    labels: field(form, "labels"),
    imageColumn: field(form, "imageColumn"),
    labelColumn: field(form, "labelColumn"),
    negative: field(form, "negative"),
    splitColumn: field(form, "splitColumn"),
    groupColumn: field(form, "groupColumn"),
    maskColumn: field(form, "maskColumn"),
  };
}

/** The folder whose label tables the console previews. */
export const previewFolderSchema = z.object({ folder: text().trim().min(1, "folder is required").max(4096) });

export function renameFromForm(form: FormData): RenameDatasetInput {
  return parseForm(renameDatasetInputSchema, {
    datasetId: field(form, "datasetId") ?? "",
    name: field(form, "name") ?? "",
  });
}

export function deleteFromForm(form: FormData): DeleteDatasetInput {
  return parseForm(deleteDatasetInputSchema, {
    datasetId: field(form, "datasetId") ?? "",
    confirmName: field(form, "confirmName") ?? "",
  });
}

/** Query string of a zip upload (the body is the zip itself, streamed). */
export const zipUploadQuerySchema = z.object({
  name: text({ error: "name is required" }),
  positive: text({ error: "positive class is required" }).min(1, "positive class is required"),
  modality: modalitySchema.optional(),
  size: text().optional(),
  fileName: text().max(255, "fileName must be at most 255 characters").optional(),
  // Passed on as given: the zip importer's own schema checks them (the label table's path is inside the zip).
  fit: imageFitSchema.optional(),
  window: text().max(64).optional(),
  labels: text().max(1000).optional(),
  imageColumn: text().max(200).optional(),
  labelColumn: text().max(200).optional(),
  negative: text().max(2000).optional(),
  splitColumn: text().max(200).optional(),
  groupColumn: text().max(200).optional(),
  maskColumn: text().max(200).optional(),
});
