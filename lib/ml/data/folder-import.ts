// Import of a labelled image folder in one of three layouts:
// - class folders root/<class>/*, exactly two classes;
// - split folders root/{train,val,test}/<class>/* (usual spellings), whose split is kept per image;
// - a label table (CSV/TSV) mapping image ids or paths anywhere under root to labels, splits, groups, masks.
// Masks are found in root/masks/ by the image's name, by a name pattern next to the image or anywhere under root
// ({id}_segmentation, {id}_lesion, {id}_mask or a given one), or from the table's mask column. Problems with
// single files (unreadable, duplicate content, too small, not an image, no label) are reported by name and
// reason; only a wrong layout throws.
import { createHash } from "node:crypto";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { extname, join, basename, dirname } from "node:path";
import { decodeDisplayCopy, decodeMaskToSquare, decodeToSquareRgb, readImageHeader, type ImageFit } from "../../image-codec/decode";
import {
  IMAGE_EXTENSIONS, UnsupportedImageError, describeImageExtensions, isImageWithoutExtension, type VoiWindow,
} from "../../image-codec/formats";
import { DomainError } from "../../errors/domain-error";
import { mapPool } from "./bounded-pool";
import { LABEL_TABLE_EXTENSIONS, splitOfName, requireColumns, type GivenSplit, type LabelTable } from "./label-table";

export type FolderLayoutErrorCode =
  | "root-missing" | "root-not-directory" | "class-count" | "positive-unknown" | "class-empty" | "labels-unusable";

/** A layout the importer cannot work with: an invalid input whose message says what to change. */
function layoutError(code: FolderLayoutErrorCode, message: string): DomainError {
  return new DomainError("invalid", message, { code });
}

export type RejectionReason =
  | "unreadable" | "unsupported" | "duplicate" | "tiny" | "not-an-image" | "no-label" | "no-image" | "ambiguous";

export interface RejectedFile {
  /** Relative to the root, with "/" separators. */
  relativePath: string;
  reason: RejectionReason;
  detail: string;
  /** For duplicates: the accepted file with the same content. */
  duplicateOf?: string;
}

export interface ImportWarning {
  relativePath: string;
  message: string;
}

export interface ImportedImage {
  relativePath: string;
  className: string;
  label: 0 | 1;
  /** SHA-256 of the original file bytes, hex. */
  sha256: string;
  format: string;
  /** Upright size of the original (after EXIF orientation). */
  originalWidth: number;
  originalHeight: number;
  /** Resized size x size RGB, present unless scanned with keepPixels: false. */
  rgb?: Uint8Array;
  /** Returns the resized RGB (the kept copy, or decodes the file again). */
  loadRgb(): Promise<Uint8Array>;
  /** Decodes the display copy (the same crop, up to 1024 px a side), or null when the file is no larger. */
  loadDisplay(): Promise<{ rgb: Uint8Array; side: number } | null>;
  maskRelativePath?: string;
  /** Resized size x size mask, 0/1, when a readable mask matched. */
  mask?: Uint8Array;
  /** The split the dataset's layout gave (split folders, split column); undefined when none. */
  split?: GivenSplit;
  /** Patient or lesion id from the group column or the group pattern; undefined when none. */
  group?: string;
}

export type DatasetLayout = "class-folders" | "split-folders" | "label-table";

export interface ImportReport {
  root: string;
  size: number;
  positiveClass: string;
  negativeClass: string;
  classes: Array<{ name: string; label: 0 | 1; accepted: number; rejected: number }>;
  images: ImportedImage[];
  rejected: RejectedFile[];
  warnings: ImportWarning[];
  layout: DatasetLayout;
  /** null when no mask was found at all. */
  masks: { files: number; matched: number; unmatched: string[]; imagesWithoutMask: string[]; thresholded: string[] } | null;
  /** Label-table rows whose label is in neither value set, counted per value. */
  skippedLabels: Array<{ value: string; rows: number }>;
  /** How non-square images were made square. */
  fit: ImageFit;
  /** With "cover": masks whose lesion reaches a side the crop cut (the lesion may be cut off). */
  masksTouchingCropEdge: string[];
}

/** A label table and how its columns map onto the import (parsed and checked at the edge). */
export interface LabelMapping {
  table: LabelTable;
  fileName: string;
  imageColumn: string;
  labelColumn: string;
  positive: readonly string[];
  negative: readonly string[];
  splitColumn?: string;
  groupColumn?: string;
  maskColumn?: string;
}

export interface ScanOptions {
  /** Name of the class folder that holds the positive (label 1) cases. */
  positive: string;
  /** Side of the square the images are resized to; 224 as in the paper. */
  size?: number;
  /** Files smaller than this on either side are rejected as tiny. */
  minSide?: number;
  /** Keep the resized pixels in memory (default). With false, loadRgb() decodes on demand. */
  keepPixels?: boolean;
  /** Files decoded at the same time. */
  concurrency?: number;
  /** Labels (and optionally splits, groups, masks) from a table instead of class folders. */
  labels?: LabelMapping;
  /** A regular expression over the file name whose first group (or whole match) is the image's group. */
  groupPattern?: RegExp;
  /** Extra mask name pattern with "{id}" for the image's name without extension, e.g. "{id}_lesion". */
  maskPattern?: string;
  /** "cover" (centre crop, default) or "contain" (pad); masks follow the images. */
  fit?: ImageFit;
  /** DICOM: VOI window instead of each file's first. */
  window?: VoiWindow;
}

/** Mask names found without flags: ISIC's {id}_segmentation, PH2's {id}_lesion, and the generic {id}_mask. */
export const DEFAULT_MASK_PATTERNS = ["{id}_segmentation", "{id}_lesion", "{id}_mask"] as const;

const MASKS_FOLDER = "masks";
const SPLIT_ORDER: readonly GivenSplit[] = ["TRAIN", "VALIDATION", "TEST"];

/** Entries that operating systems and archivers leave behind; never classes, never reported. */
function isSystemClutter(name: string): boolean {
  return name.startsWith(".") || name === "__MACOSX" || name === "Thumbs.db" || name === "desktop.ini";
}

/** Plain code-unit order, so the result does not depend on the machine's locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stem(fileName: string): string {
  return basename(fileName, extname(fileName));
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  await mapPool(items, concurrency, work);
}

/** Files without an image extension are images when their first bytes say so (DICOM's "DICM" at byte 128). */
async function startsLikeAnImage(path: string): Promise<boolean> {
  const handle = await open(/* turbopackIgnore: true */ path, "r").catch(() => null);
  if (!handle) return false;
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isImageWithoutExtension(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

// The folders an import reads are chosen at run time. The comments keep Next's build-time file tracer from
// following these calls (it would otherwise trace the whole project into the server bundle).
function readAt(path: string): Promise<Buffer> {
  return readFile(/* turbopackIgnore: true */ path);
}

function listAt(path: string) {
  return readdir(/* turbopackIgnore: true */ path, { withFileTypes: true });
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}

interface Candidate {
  className: string;
  label: 0 | 1;
  relativePath: string;
  absolutePath: string;
  split?: GivenSplit;
  group?: string;
  /** Mask named by the label table's mask column, relative to root. */
  maskPath?: string;
}

/** Every file under `dir` (clutter skipped), relative paths with "/" in a fixed order. */
async function walkFiles(root: string, dir = ""): Promise<string[]> {
  const entries = (await listAt(join(/* turbopackIgnore: true */ root, dir))).filter((e) => !isSystemClutter(e.name));
  entries.sort((a, b) => byName(a.name, b.name));
  const out: string[] = [];
  for (const e of entries) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walkFiles(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

function withoutExtension(path: string): string {
  const ext = extname(path);
  return ext ? path.slice(0, -ext.length) : path;
}

function maskStems(id: string, patterns: readonly string[]): string[] {
  return patterns.map((p) => p.replaceAll("{id}", id).toLowerCase());
}

interface Collected {
  classNames: string[];
  positiveClass: string;
  negativeClass: string;
  candidates: Candidate[];
  skippedLabels: Array<{ value: string; rows: number }>;
}

async function collectClassFolders(
  root: string, classRoot: string, positive: string, split: GivenSplit | undefined,
  rejected: RejectedFile[], warnings: ImportWarning[], excluded: ReadonlySet<string>,
): Promise<Collected> {
  const prefix = classRoot ? `${classRoot}/` : "";
  const entries = (await listAt(join(/* turbopackIgnore: true */ root, classRoot))).filter((e) => !isSystemClutter(e.name));
  const classNames = entries.filter((e) => e.isDirectory() && !excluded.has(`${prefix}${e.name}`)).map((e) => e.name).sort(byName);
  for (const e of entries) {
    if (!e.isDirectory()) warnings.push({ relativePath: `${prefix}${e.name}`, message: "file at the top level ignored (images belong in a class folder)" });
  }
  const where = classRoot ? `${root}/${classRoot}` : root;
  if (classNames.length !== 2) {
    throw layoutError(
      "class-count",
      `Expected exactly two class folders in ${where} (plus an optional masks/ folder), found ${classNames.length}` +
        (classNames.length ? `: ${classNames.join(", ")}` : "") + ".",
    );
  }
  const positiveClass =
    classNames.find((c) => c === positive) ??
    (classNames.filter((c) => c.toLowerCase() === positive.toLowerCase()).length === 1
      ? classNames.find((c) => c.toLowerCase() === positive.toLowerCase())
      : undefined);
  if (!positiveClass) {
    throw layoutError("positive-unknown", `Positive class "${positive}" is not one of the class folders: ${classNames.join(", ")}.`);
  }
  const negativeClass = classNames.find((c) => c !== positiveClass)!;

  // In a fixed order, so that "first of duplicates" is reproducible.
  const candidates: Candidate[] = [];
  for (const className of classNames) {
    const label: 0 | 1 = className === positiveClass ? 1 : 0;
    const folder = `${prefix}${className}`;
    const files = (await listAt(join(/* turbopackIgnore: true */ root, folder))).filter((e) => !isSystemClutter(e.name));
    files.sort((a, b) => byName(a.name, b.name));
    let images = 0;
    for (const e of files) {
      const relativePath = `${folder}/${e.name}`;
      if (e.isDirectory()) {
        warnings.push({ relativePath, message: "sub-folder ignored (only files directly in a class folder are read)" });
      } else if (
        !IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()) &&
        // DICOM archives name files by UID ("1.2.840...7") or nothing: their bytes decide.
        !(await startsLikeAnImage(join(/* turbopackIgnore: true */ root, folder, e.name)))
      ) {
        rejected.push({ relativePath, reason: "not-an-image", detail: `extension "${extname(e.name)}" is not ${describeImageExtensions()}` });
      } else {
        images++;
        candidates.push({ className, label, relativePath, absolutePath: join(/* turbopackIgnore: true */ root, folder, e.name), split });
      }
    }
    if (images === 0) throw layoutError("class-empty", `Class folder "${folder}" contains no ${describeImageExtensions()} files.`);
  }
  return { classNames, positiveClass, negativeClass, candidates, skippedLabels: [] };
}

/** Split folders: every split's class folders must name the same two classes. */
async function collectSplitFolders(
  root: string, splitFolders: Array<{ name: string; split: GivenSplit }>, positive: string,
  rejected: RejectedFile[], warnings: ImportWarning[],
): Promise<Collected> {
  let first: Collected | undefined;
  const candidates: Candidate[] = [];
  for (const { name, split } of splitFolders) {
    const c = await collectClassFolders(root, name, positive, split, rejected, warnings, new Set());
    if (first && (c.positiveClass !== first.positiveClass || c.negativeClass !== first.negativeClass)) {
      throw layoutError("class-count", `Split folder "${name}" has classes ${c.classNames.join(", ")}; ` +
        `the first split has ${first.classNames.join(", ")}.`);
    }
    first ??= c;
    candidates.push(...c.candidates);
  }
  return { ...first!, candidates };
}

/** Label table: ids are matched to files by relative path, by path without extension, then by file name. */
function collectLabelTable(
  root: string, mapping: LabelMapping, allFiles: readonly string[], maskFiles: ReadonlySet<string>,
  rejected: RejectedFile[], warnings: ImportWarning[],
): Collected {
  const { table, fileName } = mapping;
  requireColumns(table, fileName, {
    "--image-column": mapping.imageColumn, "--label-column": mapping.labelColumn, "--split-column": mapping.splitColumn,
    "--group-column": mapping.groupColumn, "--mask-column": mapping.maskColumn,
  });
  const positive = new Set(mapping.positive.map((v) => v.trim().toLowerCase()));
  const negative = new Set(mapping.negative.map((v) => v.trim().toLowerCase()));
  const both = [...positive].filter((v) => negative.has(v));
  if (both.length) throw layoutError("labels-unusable", `Label value(s) ${both.join(", ")} are in both the positive and the negative set.`);

  // Any file may be an image named by id (DICOM by UID, with or without extension); only files with an image
  // extension are reported when no row names them.
  const images = allFiles.filter((f) => !maskFiles.has(f) && f !== fileName && !LABEL_TABLE_EXTENSIONS.has(extname(f).toLowerCase()));
  const byPath = new Map<string, string>();
  const byStem = new Map<string, string[]>();
  // Whole file names first: a UID such as "1.2.840.7" is a name, not a stem with the extension ".7".
  const byFileName = new Map<string, string[]>();
  for (const f of images) {
    byPath.set(f.toLowerCase(), f);
    if (!byPath.has(withoutExtension(f).toLowerCase())) byPath.set(withoutExtension(f).toLowerCase(), f);
    const key = stem(f).toLowerCase();
    byStem.set(key, [...(byStem.get(key) ?? []), f]);
    const name = basename(f).toLowerCase();
    byFileName.set(name, [...(byFileName.get(name) ?? []), f]);
  }
  const skipped = new Map<string, number>();
  const used = new Set<string>();
  const candidates: Candidate[] = [];
  const at = (line: number) => `${fileName}:${line}`;
  for (const { line, cells } of table.rows) {
    const id = cells[mapping.imageColumn].replaceAll("\\", "/").replace(/^\.\//, "");
    const value = cells[mapping.labelColumn];
    const v = value.toLowerCase();
    const label: 0 | 1 | undefined = positive.has(v) ? 1 : negative.has(v) ? 0 : undefined;
    if (label === undefined) {
      skipped.set(value, (skipped.get(value) ?? 0) + 1);
      continue;
    }
    if (id === "") {
      rejected.push({ relativePath: at(line), reason: "no-image", detail: `empty ${mapping.imageColumn}` });
      continue;
    }
    let file = byPath.get(id.toLowerCase()) ?? byPath.get(withoutExtension(id).toLowerCase());
    if (file === undefined) {
      const named = byFileName.get(basename(id).toLowerCase()) ?? [];
      const matches = named.length ? named : (byStem.get(stem(id).toLowerCase()) ?? []);
      if (matches.length > 1) {
        rejected.push({ relativePath: at(line), reason: "ambiguous", detail: `"${id}" matches ${matches.join(", ")}` });
        continue;
      }
      file = matches[0];
    }
    if (file === undefined) {
      rejected.push({ relativePath: at(line), reason: "no-image", detail: `no image file named "${id}" under the folder` });
      continue;
    }
    if (used.has(file)) {
      warnings.push({ relativePath: at(line), message: `"${id}" is listed again; the first row for ${file} was used` });
      continue;
    }
    used.add(file);
    let split: GivenSplit | undefined;
    if (mapping.splitColumn) {
      const cell = cells[mapping.splitColumn];
      split = splitOfName(cell);
      if (cell !== "" && split === undefined) {
        warnings.push({ relativePath: at(line), message: `split "${cell}" is not train, validation or test; the image is split like unassigned ones` });
      }
    }
    const group = mapping.groupColumn ? cells[mapping.groupColumn] || undefined : undefined;
    const maskCell = mapping.maskColumn ? cells[mapping.maskColumn] : "";
    const maskPath = maskCell ? (byPath.get(maskCell.toLowerCase()) ?? allFiles.find((f) => f.toLowerCase() === maskCell.toLowerCase())) : undefined;
    if (maskCell && !maskPath) warnings.push({ relativePath: at(line), message: `mask "${maskCell}" not found; image kept without mask` });
    candidates.push({ className: label === 1 ? mapping.positive.join("+") : mapping.negative.join("+"), label, relativePath: file, absolutePath: join(/* turbopackIgnore: true */ root, file), split, group, maskPath });
  }
  for (const f of images) if (!used.has(f) && IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) rejected.push({ relativePath: f, reason: "no-label", detail: `no row of ${fileName} names this image` });
  const positiveClass = mapping.positive.join("+");
  const negativeClass = mapping.negative.join("+");
  for (const [className, label] of [[negativeClass, 0], [positiveClass, 1]] as const) {
    if (!candidates.some((c) => c.label === label)) {
      throw layoutError("class-empty", `No row of ${fileName} with ${mapping.labelColumn} in {${className.replaceAll("+", ", ")}} names an image under the folder.`);
    }
  }
  return {
    classNames: [negativeClass, positiveClass].sort(byName),
    positiveClass, negativeClass, candidates,
    skippedLabels: [...skipped].map(([value, rows]) => ({ value, rows })).sort((a, b) => b.rows - a.rows || byName(a.value, b.value)),
  };
}

export async function scanImageFolder(root: string, options: ScanOptions): Promise<ImportReport> {
  const size = options.size ?? 224;
  const minSide = options.minSide ?? 32;
  const keepPixels = options.keepPixels ?? true;
  const decodeOptions = { fit: options.fit ?? "cover", window: options.window } as const;
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`size must be an integer >= 8, got ${size}`);

  const rootStat = await stat(/* turbopackIgnore: true */ root).catch(() => null);
  if (!rootStat) throw layoutError("root-missing", `Folder not found: ${root}`);
  if (!rootStat.isDirectory()) throw layoutError("root-not-directory", `Not a folder: ${root}`);

  const warnings: ImportWarning[] = [];
  const rejected: RejectedFile[] = [];
  const rootEntries = (await listAt(root)).filter((e) => !isSystemClutter(e.name));
  const masksEntry = rootEntries.find((e) => e.isDirectory() && e.name.toLowerCase() === MASKS_FOLDER);
  const allFiles = await walkFiles(root);
  const patterns = [...DEFAULT_MASK_PATTERNS, ...(options.maskPattern ? [options.maskPattern] : [])];

  // Files whose name is a mask pattern of another file's name are masks, never images or classes' members.
  const stemsInTree = new Set(allFiles.map((f) => stem(f).toLowerCase()));
  const patternMasks = new Map<string, string[]>(); // lower-case mask stem -> files
  for (const f of allFiles) {
    if (!IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) continue;
    const key = stem(f).toLowerCase();
    if (patterns.some((p) => { const [pre, post] = p.toLowerCase().split("{id}"); return key.startsWith(pre) && key.endsWith(post ?? "") &&
      key.length > pre.length + (post ?? "").length && stemsInTree.has(key.slice(pre.length, key.length - (post ?? "").length)); })) {
      patternMasks.set(key, [...(patternMasks.get(key) ?? []), f]);
    }
  }
  const maskFileSet = new Set([...patternMasks.values()].flat());
  const masksPrefix = masksEntry ? `${masksEntry.name}/` : undefined;
  if (masksPrefix) for (const f of allFiles) if (f.startsWith(masksPrefix)) maskFileSet.add(f);

  const splitFolders = rootEntries
    .filter((e) => e.isDirectory() && e !== masksEntry)
    .map((e) => ({ name: e.name, split: splitOfName(e.name) }));
  let layout: DatasetLayout;
  let collected: Collected;
  if (options.labels) {
    layout = "label-table";
    collected = collectLabelTable(root, options.labels, allFiles, maskFileSet, rejected, warnings);
  } else if (splitFolders.length > 0 && splitFolders.every((f) => f.split !== undefined)) {
    layout = "split-folders";
    const given = splitFolders.map((f) => ({ name: f.name, split: f.split! }))
      // Train first, so that of two identical images the training one is kept and the held-out copy reported.
      .sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split) || byName(a.name, b.name));
    const twice = given.find((f, i) => given.findIndex((g) => g.split === f.split) !== i);
    if (twice) throw layoutError("class-count", `Two folders name the same split: ${given.filter((g) => g.split === twice.split).map((g) => g.name).join(", ")}.`);
    for (const e of rootEntries) if (!e.isDirectory()) warnings.push({ relativePath: e.name, message: "file at the top level ignored (images belong in a class folder)" });
    collected = await collectSplitFolders(root, given, options.positive, rejected, warnings);
  } else {
    layout = "class-folders";
    collected = await collectClassFolders(root, "", options.positive, undefined, rejected, warnings, new Set(masksEntry ? [masksEntry.name] : []));
  }
  const { classNames, positiveClass, negativeClass } = collected;
  const candidates = collected.candidates.filter((c) => !maskFileSet.has(c.relativePath));
  if (options.groupPattern) {
    let unmatched = 0;
    for (const c of candidates) {
      const m = options.groupPattern.exec(basename(c.relativePath));
      if (m) c.group = m[1] ?? m[0];
      else unmatched++;
    }
    if (unmatched) warnings.push({ relativePath: "", message: `${unmatched} image(s) do not match the group pattern ${options.groupPattern.source}; each is its own group` });
  }

  // Masks in masks/, by base name without extension.
  let maskIndex: Map<string, string> | null = null;
  if (masksEntry) {
    maskIndex = new Map();
    const maskFiles = (await listAt(join(/* turbopackIgnore: true */ root, masksEntry.name)))
      .filter((e) => e.isFile() && !isSystemClutter(e.name) && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort(byName);
    for (const name of maskFiles) {
      const key = stem(name);
      if (maskIndex.has(key)) {
        warnings.push({ relativePath: `${masksEntry.name}/${name}`, message: `another mask with base name "${key}" was used instead` });
      } else {
        maskIndex.set(key, `${masksEntry.name}/${name}`);
      }
    }
  }
  /** The mask of a candidate: the table's column, masks/<stem>.*, then a pattern match (same folder first). */
  const maskOf = (c: Candidate): string | undefined => {
    if (c.maskPath) return c.maskPath;
    const inMasks = maskIndex?.get(stem(c.relativePath));
    if (inMasks) return inMasks;
    for (const key of maskStems(stem(c.relativePath), patterns)) {
      const files = patternMasks.get(key);
      if (files?.length) return files.find((f) => dirname(f) === dirname(c.relativePath)) ?? files[0];
    }
    return undefined;
  };
  const allMasks = new Set([...maskFileSet].filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())));
  const stemsPerClass = new Map<string, Set<string>>();
  for (const c of candidates) {
    const key = stem(c.relativePath);
    if (!stemsPerClass.has(key)) stemsPerClass.set(key, new Set());
    stemsPerClass.get(key)!.add(c.className);
  }

  // Pass 1: hash the original bytes, find duplicates (first in order wins).
  const hashes = new Map<string, string>(); // relativePath -> sha256
  const unreadable = new Set<string>();
  await runPool(candidates, options.concurrency ?? 4, async (c) => {
    let bytes: Buffer;
    try {
      bytes = await readAt(c.absolutePath);
    } catch (error) {
      // A dangling link, a permission, a disk error: that file is reported, the import goes on.
      const code = (error as NodeJS.ErrnoException).code;
      rejected.push({ relativePath: c.relativePath, reason: "unreadable", detail: `cannot be read${code ? ` (${code})` : ""}` });
      unreadable.add(c.relativePath);
      return;
    }
    hashes.set(c.relativePath, createHash("sha256").update(bytes).digest("hex"));
  });
  const firstWithHash = new Map<string, Candidate>();
  const unique: Candidate[] = [];
  for (const c of candidates) {
    if (unreadable.has(c.relativePath)) continue;
    const hash = hashes.get(c.relativePath)!;
    const first = firstWithHash.get(hash);
    if (first) {
      const conflict = first.className !== c.className ? " (in the other class: conflicting labels)" : "";
      if (first.split !== c.split) {
        warnings.push({ relativePath: c.relativePath, message: `leakage: the same image is in ${first.split?.toLowerCase() ?? "no split"} as ${first.relativePath} and in ${c.split?.toLowerCase() ?? "no split"}; only the first is kept` });
      }
      rejected.push({ relativePath: c.relativePath, reason: "duplicate", detail: `same content as ${first.relativePath}${conflict}`, duplicateOf: first.relativePath });
      if (conflict) warnings.push({ relativePath: first.relativePath, message: `the same image is also in ${c.relativePath} with the other label` });
    } else {
      firstWithHash.set(hash, c);
      unique.push(c);
    }
  }

  // Pass 2: decode, check size, resize; attach masks.
  const accepted = new Map<string, ImportedImage>();
  const usedMasks = new Set<string>();
  const thresholded: string[] = [];
  const touchingCropEdge: string[] = [];
  await runPool(unique, options.concurrency ?? 4, async (c) => {
    const bytes = await readAt(c.absolutePath).catch(() => null);
    if (bytes === null) {
      rejected.push({ relativePath: c.relativePath, reason: "unreadable", detail: "cannot be read (changed during the import)" });
      return;
    }
    let header: { width: number; height: number; format: string };
    try {
      header = await readImageHeader(bytes, decodeOptions);
    } catch (error) {
      rejected.push({ relativePath: c.relativePath, reason: error instanceof UnsupportedImageError ? "unsupported" : "unreadable", detail: messageOf(error) });
      return;
    }
    if (header.width < minSide || header.height < minSide) {
      rejected.push({ relativePath: c.relativePath, reason: "tiny", detail: `${header.width}x${header.height} px is below the minimum of ${minSide} px per side` });
      return;
    }
    let rgb: Uint8Array;
    try {
      rgb = (await decodeToSquareRgb(bytes, size, decodeOptions)).rgb;
    } catch (error) {
      rejected.push({ relativePath: c.relativePath, reason: "unreadable", detail: messageOf(error) });
      return;
    }
    const image: ImportedImage = {
      relativePath: c.relativePath,
      className: c.className,
      label: c.label,
      sha256: hashes.get(c.relativePath)!,
      format: header.format,
      originalWidth: header.width,
      originalHeight: header.height,
      rgb: keepPixels ? rgb : undefined,
      loadRgb: keepPixels ? () => Promise.resolve(rgb) : async () => (await decodeToSquareRgb(await readAt(c.absolutePath), size, decodeOptions)).rgb,
      loadDisplay: async () => decodeDisplayCopy(await readAt(c.absolutePath), size, decodeOptions),
      split: c.split,
      group: c.group,
    };

    const key = stem(c.relativePath);
    const maskPath = maskOf(c);
    if (maskPath) {
      usedMasks.add(maskPath);
      if (layout === "class-folders" && !c.maskPath && maskIndex?.get(key) === maskPath && stemsPerClass.get(key)!.size > 1) {
        warnings.push({ relativePath: maskPath, message: `ambiguous: both classes have an image named "${key}"; mask not used` });
      } else {
        try {
          const decoded = await decodeMaskToSquare(await readAt(join(/* turbopackIgnore: true */ root, maskPath)), size, decodeOptions);
          if (decoded.width !== header.width || decoded.height !== header.height) {
            warnings.push({ relativePath: maskPath, message: `mask is ${decoded.width}x${decoded.height} but the image is ${header.width}x${header.height}; resized the same way (nearest neighbour), check alignment` });
          }
          if (!decoded.binary) thresholded.push(maskPath);
          // The image's shape decides the crop; a mask of another size was scaled to the same square.
          if (decodeOptions.fit === "cover" && header.width !== header.height && decoded.touchesCropEdge) touchingCropEdge.push(maskPath);
          if (!decoded.mask.some((v) => v === 1)) warnings.push({ relativePath: maskPath, message: "mask is empty after resizing" });
          image.mask = decoded.mask;
          image.maskRelativePath = maskPath;
        } catch (error) {
          warnings.push({ relativePath: maskPath, message: `mask unreadable, image kept without mask: ${messageOf(error)}` });
        }
      }
    }
    accepted.set(c.relativePath, image);
  });

  // Report in the fixed candidate order, independent of which decode finished first.
  const images = candidates.map((c) => accepted.get(c.relativePath)).filter((x): x is ImportedImage => x !== undefined);
  const order = new Map(candidates.map((c, i) => [c.relativePath, i]));
  rejected.sort((a, b) => (order.get(a.relativePath) ?? -1) - (order.get(b.relativePath) ?? -1) || byName(a.relativePath, b.relativePath));

  const classOf = new Map(candidates.map((c) => [c.relativePath, c.className]));
  thresholded.sort(byName);
  for (const m of thresholded) warnings.push({ relativePath: m, message: "mask is not binary; thresholded at half its maximum" });
  warnings.sort((a, b) => byName(a.relativePath, b.relativePath));
  const anyMask = allMasks.size > 0 || images.some((i) => i.mask);
  return {
    root,
    size,
    layout,
    positiveClass,
    negativeClass,
    classes: classNames.map((name) => ({
      name,
      label: name === positiveClass ? 1 : 0,
      accepted: images.filter((i) => i.className === name).length,
      rejected: rejected.filter((r) => (classOf.get(r.relativePath) ?? r.relativePath.split("/").at(layout === "split-folders" ? 1 : 0)) === name).length,
    })),
    images,
    rejected,
    warnings,
    masks: anyMask
      ? {
          files: allMasks.size,
          matched: images.filter((i) => i.mask).length,
          unmatched: [...allMasks].filter((p) => !usedMasks.has(p)).sort(byName),
          imagesWithoutMask: images.filter((i) => !i.mask).map((i) => i.relativePath),
          thresholded,
        }
      : null,
    skippedLabels: collected.skippedLabels,
    fit: decodeOptions.fit,
    masksTouchingCropEdge: touchingCropEdge.sort(byName),
  };
}
