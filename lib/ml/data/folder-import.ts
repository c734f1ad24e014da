// Import of a labelled image folder: root/<class>/*.{png,jpg,jpeg}, exactly two classes, optional root/masks/
// with lesion masks named like the images (extension ignored). Problems with single files (unreadable,
// duplicate content, too small, not an image) are reported by name and reason; only a wrong layout throws.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, basename } from "node:path";
import { decodeMaskToSquare, decodeToSquareRgb, readImageHeader } from "../../image-codec/decode";
import { IMAGE_EXTENSIONS, describeImageExtensions } from "../../image-codec/formats";
import { DomainError } from "../../errors/domain-error";

export type FolderLayoutErrorCode = "root-missing" | "root-not-directory" | "class-count" | "positive-unknown" | "class-empty";

/** A layout the importer cannot work with: an invalid input whose message says what to change. */
function layoutError(code: FolderLayoutErrorCode, message: string): DomainError {
  return new DomainError("invalid", message, { code });
}

export type RejectionReason = "unreadable" | "duplicate" | "tiny" | "not-an-image";

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
  maskRelativePath?: string;
  /** Resized size x size mask, 0/1, when a readable mask matched. */
  mask?: Uint8Array;
}

export interface ImportReport {
  root: string;
  size: number;
  positiveClass: string;
  negativeClass: string;
  classes: Array<{ name: string; label: 0 | 1; accepted: number; rejected: number }>;
  images: ImportedImage[];
  rejected: RejectedFile[];
  warnings: ImportWarning[];
  /** null when there is no masks/ folder. */
  masks: { files: number; matched: number; unmatched: string[] } | null;
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
}

const MASKS_FOLDER = "masks";

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
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}

interface Candidate {
  className: string;
  label: 0 | 1;
  relativePath: string;
  absolutePath: string;
}

export async function scanImageFolder(root: string, options: ScanOptions): Promise<ImportReport> {
  const size = options.size ?? 224;
  const minSide = options.minSide ?? 32;
  const keepPixels = options.keepPixels ?? true;
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`size must be an integer >= 8, got ${size}`);

  const rootStat = await stat(root).catch(() => null);
  if (!rootStat) throw layoutError("root-missing", `Folder not found: ${root}`);
  if (!rootStat.isDirectory()) throw layoutError("root-not-directory", `Not a folder: ${root}`);

  const warnings: ImportWarning[] = [];
  const rejected: RejectedFile[] = [];
  const rootEntries = (await readdir(root, { withFileTypes: true })).filter((e) => !isSystemClutter(e.name));
  const masksEntry = rootEntries.find((e) => e.isDirectory() && e.name.toLowerCase() === MASKS_FOLDER);
  const classNames = rootEntries.filter((e) => e.isDirectory() && e !== masksEntry).map((e) => e.name).sort(byName);
  for (const e of rootEntries) if (!e.isDirectory()) warnings.push({ relativePath: e.name, message: "file at the top level ignored (images belong in a class folder)" });

  if (classNames.length !== 2) {
    throw layoutError(
      "class-count",
      `Expected exactly two class folders in ${root} (plus an optional masks/ folder), found ${classNames.length}` +
        (classNames.length ? `: ${classNames.join(", ")}` : "") + ".",
    );
  }
  const positiveClass =
    classNames.find((c) => c === options.positive) ??
    (classNames.filter((c) => c.toLowerCase() === options.positive.toLowerCase()).length === 1
      ? classNames.find((c) => c.toLowerCase() === options.positive.toLowerCase())
      : undefined);
  if (!positiveClass) {
    throw layoutError("positive-unknown", `Positive class "${options.positive}" is not one of the class folders: ${classNames.join(", ")}.`);
  }
  const negativeClass = classNames.find((c) => c !== positiveClass)!;

  // Collect candidate files, in a fixed order so that "first of duplicates" is reproducible.
  const candidates: Candidate[] = [];
  for (const className of classNames) {
    const label: 0 | 1 = className === positiveClass ? 1 : 0;
    const entries = (await readdir(join(root, className), { withFileTypes: true })).filter((e) => !isSystemClutter(e.name));
    entries.sort((a, b) => byName(a.name, b.name));
    let images = 0;
    for (const e of entries) {
      const relativePath = `${className}/${e.name}`;
      if (e.isDirectory()) {
        warnings.push({ relativePath, message: "sub-folder ignored (only files directly in a class folder are read)" });
      } else if (!IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        rejected.push({ relativePath, reason: "not-an-image", detail: `extension "${extname(e.name)}" is not ${describeImageExtensions()}` });
      } else {
        images++;
        candidates.push({ className, label, relativePath, absolutePath: join(root, className, e.name) });
      }
    }
    if (images === 0) throw layoutError("class-empty", `Class folder "${className}" contains no ${describeImageExtensions()} files.`);
  }

  // Masks, by base name without extension.
  let maskIndex: Map<string, string> | null = null;
  if (masksEntry) {
    maskIndex = new Map();
    const maskFiles = (await readdir(join(root, masksEntry.name), { withFileTypes: true }))
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
  const stemsPerClass = new Map<string, Set<string>>();
  for (const c of candidates) {
    const key = stem(c.relativePath);
    if (!stemsPerClass.has(key)) stemsPerClass.set(key, new Set());
    stemsPerClass.get(key)!.add(c.className);
  }

  // Pass 1: hash the original bytes, find duplicates (first in order wins).
  const hashes = new Map<string, string>(); // relativePath -> sha256
  await runPool(candidates, options.concurrency ?? 4, async (c) => {
    const bytes = await readFile(c.absolutePath);
    hashes.set(c.relativePath, createHash("sha256").update(bytes).digest("hex"));
  });
  const firstWithHash = new Map<string, Candidate>();
  const unique: Candidate[] = [];
  for (const c of candidates) {
    const hash = hashes.get(c.relativePath)!;
    const first = firstWithHash.get(hash);
    if (first) {
      const conflict = first.className !== c.className ? " (in the other class: conflicting labels)" : "";
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
  await runPool(unique, options.concurrency ?? 4, async (c) => {
    const bytes = await readFile(c.absolutePath);
    let header: { width: number; height: number; format: string };
    try {
      header = await readImageHeader(bytes);
    } catch (error) {
      rejected.push({ relativePath: c.relativePath, reason: "unreadable", detail: messageOf(error) });
      return;
    }
    if (header.width < minSide || header.height < minSide) {
      rejected.push({ relativePath: c.relativePath, reason: "tiny", detail: `${header.width}x${header.height} px is below the minimum of ${minSide} px per side` });
      return;
    }
    let rgb: Uint8Array;
    try {
      rgb = (await decodeToSquareRgb(bytes, size)).rgb;
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
      loadRgb: keepPixels ? async () => rgb : async () => (await decodeToSquareRgb(await readFile(c.absolutePath), size)).rgb,
    };

    const key = stem(c.relativePath);
    const maskPath = maskIndex?.get(key);
    if (maskPath) {
      usedMasks.add(maskPath);
      if (stemsPerClass.get(key)!.size > 1) {
        warnings.push({ relativePath: maskPath, message: `ambiguous: both classes have an image named "${key}"; mask not used` });
      } else {
        try {
          const decoded = await decodeMaskToSquare(await readFile(join(root, maskPath)), size);
          if (decoded.width !== header.width || decoded.height !== header.height) {
            warnings.push({ relativePath: maskPath, message: `mask is ${decoded.width}x${decoded.height} but the image is ${header.width}x${header.height}; resized the same way, check alignment` });
          }
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
  warnings.sort((a, b) => byName(a.relativePath, b.relativePath));

  return {
    root,
    size,
    positiveClass,
    negativeClass,
    classes: classNames.map((name) => ({
      name,
      label: name === positiveClass ? 1 : 0,
      accepted: images.filter((i) => i.className === name).length,
      rejected: rejected.filter((r) => r.relativePath.startsWith(`${name}/`)).length,
    })),
    images,
    rejected,
    warnings,
    masks: maskIndex
      ? { files: maskIndex.size, matched: images.filter((i) => i.mask).length, unmatched: [...maskIndex.values()].filter((p) => !usedMasks.has(p)) }
      : null,
  };
}
