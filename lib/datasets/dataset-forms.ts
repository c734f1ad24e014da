// The researcher console's dataset forms: a folder import (server action) and the query string of a zip
// upload (route), parsed once with the importer's own schemas (their messages already name the fields).
import { z } from "zod";
import { parseForm } from "@/lib/errors/field-errors";
import { text } from "@/lib/validation/text";
import {
  deleteDatasetInputSchema,
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
  });
}

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
});
