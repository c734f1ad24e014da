// Validated inputs of the dataset operations. The CLI and the web app both parse through these, so a bad
// name, size or seed fails with the field's name before any file is read or written.
import { z } from "zod";
import { text } from "@/lib/validation/text";
import { Modality } from "@/lib/db/client";

/** Names appear in CLI arguments and URLs: keep them to a safe, readable alphabet. */
export const datasetNameSchema = text()
  .trim()
  .min(1, "name is required")
  .max(80, "name must be at most 80 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/,
    "name may contain letters, digits, spaces, '.', '_' and '-' and must start with a letter or digit",
  );

/** Stored image side in pixels: 224 is the paper's input; smaller sets load faster for CPU demos. */
export const imageSizeSchema = z.coerce
  .number()
  .int("size must be an integer")
  .min(16, "size must be at least 16")
  .max(1024, "size must be at most 1024");

export const seedSchema = z.coerce
  .number()
  .int("seed must be an integer")
  .min(0)
  .max(2 ** 31 - 1);

export const modalitySchema = z.enum(Object.values(Modality) as [Modality, ...Modality[]]);

/** Absent, or a non-blank trimmed string: an empty form field means "not given". */
function optionalText() {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    text().trim().max(500).optional(),
  );
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** DICOM VOI window "center,width" in modality units (after rescale), e.g. "40,400" for a CT soft-tissue window. */
export const voiWindowSchema = optionalText()
  .refine((v) => v === undefined || /^\s*-?\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*$/.test(v), {
    message: "window must be center,width (numbers, width at least 1), e.g. 40,400",
  })
  .transform((v) => {
    if (v === undefined) return undefined;
    const [center, width] = v.split(",").map(Number);
    return { center, width };
  })
  .refine((w) => w === undefined || w.width >= 1, { message: "window width must be at least 1" });

/** Non-square images: "cover" crops the centre square (the default), "contain" pads to a square. */
export const imageFitSchema = z.enum(["cover", "contain"], { error: "fit must be cover or contain" });

/** A comma-separated list of label values. */
export function valueList(v: string): string[] {
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const importFolderFieldsSchema = z.object({
  folder: text().min(1, "folder is required"),
  name: datasetNameSchema,
  /** Name of the class folder holding the positive cases (label 1); the other folder is label 0. */
  positive: text().min(1, "positive class is required"),
  modality: modalitySchema.default("OTHER"),
  size: imageSizeSchema.default(224),
  splitSeed: seedSchema.default(42),
  description: text().max(2000).default(""),
  createdById: text().optional(),
  /** Label table (CSV/TSV): a path relative to the folder (or, from the CLI, anywhere). */
  labels: optionalText(),
  imageColumn: optionalText(),
  labelColumn: optionalText(),
  /** With a label table: comma-separated label values of class 0 (positive then holds those of class 1). */
  negative: optionalText(),
  splitColumn: optionalText(),
  groupColumn: optionalText(),
  maskColumn: optionalText(),
  /** Regular expression over file names whose first group is the patient or lesion id, e.g. "person(\d+)_". */
  groupPattern: optionalText().refine(
    (p) => p === undefined || compiles(p),
    "groupPattern is not a valid regular expression",
  ),
  /** Mask file name with "{id}" for the image's name without extension, e.g. "{id}_lesion". */
  maskPattern: optionalText().refine((p) => p === undefined || p.includes("{id}"), "maskPattern must contain {id}"),
  /** Split a given train/validation split again (a given test split is always kept). */
  resplit: z.boolean().default(false),
  fit: imageFitSchema.default("cover"),
  /** DICOM only: replaces each file's first VOI window. */
  window: voiWindowSchema,
});

/** Label-table options come together, and only with a table (shared by the folder and the zip import). */
export function refineLabelTableOptions(
  v: {
    labels?: string;
    imageColumn?: string;
    labelColumn?: string;
    negative?: string;
    splitColumn?: string;
    groupColumn?: string;
    maskColumn?: string;
  },
  ctx: z.RefinementCtx,
): void {
  if (v.labels === undefined) {
    for (const key of ["imageColumn", "labelColumn", "negative", "splitColumn", "groupColumn", "maskColumn"] as const) {
      if (v[key] !== undefined)
        ctx.addIssue({ code: "custom", path: [key], message: `${key} needs a label table (labels)` });
    }
    return;
  }
  for (const key of ["imageColumn", "labelColumn", "negative"] as const) {
    if (v[key] === undefined)
      ctx.addIssue({ code: "custom", path: [key], message: `${key} is required with a label table` });
  }
}

export const importFolderInputSchema = importFolderFieldsSchema.superRefine(refineLabelTableOptions);
export type ImportFolderInput = z.input<typeof importFolderInputSchema>;
export type ImportFolderRequest = z.output<typeof importFolderInputSchema>;

export const syntheticInputSchema = z.object({
  name: datasetNameSchema,
  count: z.coerce
    .number()
    .int("count must be an integer")
    .min(4, "count must be at least 4 (two per class)")
    .max(20000),
  size: imageSizeSchema.default(64),
  seed: seedSchema.default(1),
  /** Seed of the stored train/validation split; by default the generator's seed. */
  splitSeed: seedSchema.optional(),
  createdById: text().optional(),
});
export type SyntheticInput = z.input<typeof syntheticInputSchema>;

export const datasetIdSchema = text().trim().min(1, "dataset is required").max(64);

export const renameDatasetInputSchema = z.object({ datasetId: datasetIdSchema, name: datasetNameSchema });
export type RenameDatasetInput = z.output<typeof renameDatasetInputSchema>;

/** Deleting asks for the dataset's name again, so a slip of the mouse deletes nothing. */
export const deleteDatasetInputSchema = z.object({
  datasetId: datasetIdSchema,
  confirmName: text().trim().min(1, "type the dataset's name to confirm"),
});
export type DeleteDatasetInput = z.output<typeof deleteDatasetInputSchema>;
