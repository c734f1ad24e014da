// Import of a dataset uploaded as a zip in the folder importer's layout (<class>/*.png|jpg, optional masks/,
// possibly wrapped in one top-level folder). The upload is streamed to a temporary file inside the storage
// folder, checked entry by entry BEFORE anything is extracted (zip-slip: absolute paths, "..", symlinks;
// zip bombs: entry count, total uncompressed size, compression ratio), extracted with the same limits
// enforced on the real byte counts, handed to the folder importer and deleted whatever happens.
// The console's label-table picker first sends the same zip to previewZipLabelTables: the same checks, but only the
// label tables are extracted and summarised, nothing is stored, and the temporary folder goes just the same.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import yauzl from "yauzl";
import { z } from "zod";
import { envVar } from "@/lib/config/env";
import { DomainError, isDomainError } from "@/lib/errors/domain-error";
import { text } from "@/lib/validation/text";
import { storageRoot } from "@/lib/storage/content-store";
import { IMAGE_EXTENSIONS, describeImageExtensions } from "@/lib/image-codec/formats";
import { LABEL_TABLE_EXTENSIONS } from "@/lib/ml/data/label-table";
import { importFolderFieldsSchema, refineLabelTableOptions } from "./dataset-inputs";
import { importFolderDataset, type FolderImportResult } from "./import-folder";
import { previewFolderTables, type TablePreview } from "./label-table-preview";
import type { ImportSkip } from "./persist-dataset";

/** The zip (or its upload) was refused; the message says why and is meant for the person uploading. */
function zipRefused(message: string, kind: "invalid" | "too-large" = "invalid"): DomainError {
  return new DomainError(kind, message, { code: "zip-refused" });
}

export interface ZipLimits {
  /** Largest accepted upload (the zip file itself). */
  maxUploadBytes: number;
  maxEntries: number;
  /** Sum of the uncompressed sizes of the extracted entries. */
  maxTotalUncompressedBytes: number;
  /**
   * Largest uncompressed/compressed ratio of one entry. PNG and JPEG are already compressed (ratio near 1),
   * so a high ratio means padding built to exhaust the disk.
   */
  maxCompressionRatio: number;
}

const MB = 1024 * 1024;
/** Entries smaller than this are never bombs, whatever their ratio (headers dominate tiny files). */
const RATIO_EXEMPT_BYTES = 64 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** FOCUS_MAX_UPLOAD_MB (default 500) as bytes; a bad value is an error rather than no limit. */
export function uploadLimitBytes(env: Record<string, string | undefined> = process.env): number {
  return Math.floor(envVar("FOCUS_MAX_UPLOAD_MB", env) * MB);
}

export function defaultZipLimits(env: Record<string, string | undefined> = process.env): ZipLimits {
  const maxUploadBytes = uploadLimitBytes(env);
  return {
    maxUploadBytes,
    maxEntries: 100_000,
    // Images compress little, so a legitimate archive expands to about its own size; 4x leaves room.
    maxTotalUncompressedBytes: Math.max(4 * maxUploadBytes, 64 * MB),
    maxCompressionRatio: 100,
  };
}

/** A private folder under <storage>/tmp for one upload; `remove()` deletes it and everything in it. */
export interface UploadWorkspace {
  dir: string;
  zipPath: string;
  extractDir: string;
  remove(): Promise<void>;
}

export async function createUploadWorkspace(root = storageRoot()): Promise<UploadWorkspace> {
  const dir = join(root, "tmp", `upload-${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return {
    dir,
    zipPath: join(dir, "upload.zip"),
    extractDir: join(dir, "extracted"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

class ByteLimit extends Transform {
  bytes = 0;
  constructor(
    private readonly max: number,
    private readonly tooLarge: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) cb(this.tooLarge());
    else cb(null, chunk);
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / MB)} MB`;
}

/** Streams a request body to `path`, stopping (and deleting the partial file) past `maxBytes`. */
export async function saveUpload(
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<number> {
  const source =
    Symbol.asyncIterator in body
      ? Readable.from(body as AsyncIterable<Uint8Array>)
      : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  const limit = new ByteLimit(maxBytes, () =>
    zipRefused(`The upload is larger than the limit of ${megabytes(maxBytes)} (FOCUS_MAX_UPLOAD_MB).`, "too-large"),
  );
  try {
    await pipeline(source, limit, createWriteStream(path, { flags: "wx", mode: 0o600 }));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  if (limit.bytes === 0) throw zipRefused("The upload is empty: choose a .zip file.");
  return limit.bytes;
}

interface RawEntry {
  fileNameRaw: Buffer;
  generalPurposeBitFlag: number;
  extraFields: { id: number; data: Buffer }[];
  externalFileAttributes: number;
  compressedSize: number;
  uncompressedSize: number;
  isEncrypted(): boolean;
}

// yauzl's decoder (CP437 or UTF-8 by flag, Info-ZIP unicode path field); not in @types/yauzl.
const getFileNameLowLevel = (
  yauzl as unknown as {
    getFileNameLowLevel: (flag: number, raw: Buffer, extra: RawEntry["extraFields"], strict: boolean) => string;
  }
).getFileNameLowLevel;

/** Opens a zip with name checks left to us (decodeStrings: false), so every refusal gets our message. */
function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) =>
    yauzl.open(
      path,
      { lazyEntries: true, decodeStrings: false, autoClose: true, validateEntrySizes: true },
      (err, zip) => {
        if (err || !zip)
          rej(zipRefused(`The file is not a readable zip archive (${err?.message ?? "unknown error"}).`));
        else res(zip);
      },
    ),
  );
}

/** Calls `visit` for each entry in order; `visit` may return a promise (extraction waits for it). */
async function forEachEntry(zip: yauzl.ZipFile, visit: (entry: RawEntry) => Promise<void> | void): Promise<void> {
  await new Promise<void>((res, rej) => {
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      zip.close();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what visit() threw, as is
      rej(e);
    };
    zip.on("error", (e: Error) => fail(isDomainError(e) ? e : zipRefused(`The zip archive is damaged: ${e.message}.`)));
    zip.on("end", () => {
      if (!failed) res();
    });
    zip.on("entry", (entry: RawEntry) => {
      Promise.resolve()
        .then(() => visit(entry))
        .then(() => {
          if (!failed) zip.readEntry();
        }, fail);
    });
    zip.readEntry();
  });
}

export type EntryDecision =
  | { kind: "directory"; path: string }
  | { kind: "image"; path: string; size: number }
  /** Not extracted, reported to the user (wrong file type). */
  | { kind: "skip"; path: string; reason: string }
  /** Not extracted, not reported: operating-system clutter such as __MACOSX/ or .DS_Store. */
  | { kind: "ignore"; path: string };

/** Archive clutter and hidden files, never part of a dataset (the folder importer ignores them too). */
function isClutterPath(segments: readonly string[]): boolean {
  return segments.some((s) => s.startsWith(".") || s === "__MACOSX" || s === "Thumbs.db" || s === "desktop.ini");
}

/**
 * Decides what to do with one entry, or refuses the whole archive. Pure, so the safety rules are tested
 * without building archives for every case.
 */
export function classifyEntry(
  name: string,
  info: { externalFileAttributes: number; compressedSize: number; uncompressedSize: number; encrypted: boolean },
  limits: Pick<ZipLimits, "maxCompressionRatio">,
): EntryDecision {
  const shown = JSON.stringify(name);
  // Windows archivers write "\" as the separator; treat it as one so "..\\x" cannot slip through.
  const path = name.replace(/\\/g, "/");
  if (path.includes("\0")) throw zipRefused(`The zip was refused: entry ${shown} has a NUL character in its name.`);
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    throw zipRefused(
      `The zip was refused: entry ${shown} has an absolute path. Entries must be relative (class/image.png); nothing was extracted.`,
    );
  }
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    throw zipRefused(
      `The zip was refused: entry ${shown} points outside the archive folder (".." path traversal); nothing was extracted.`,
    );
  }
  const mode = (info.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK)
    throw zipRefused(
      `The zip was refused: entry ${shown} is a symbolic link; links are not accepted. Nothing was extracted.`,
    );
  if (info.encrypted) throw zipRefused(`The zip was refused: entry ${shown} is encrypted.`);
  const clean = segments.join("/");
  if (path.endsWith("/")) return { kind: "directory", path: clean };
  if (segments.length === 0) throw zipRefused(`The zip was refused: entry ${shown} has an empty name.`);
  if (
    info.uncompressedSize > RATIO_EXEMPT_BYTES &&
    info.uncompressedSize > limits.maxCompressionRatio * Math.max(1, info.compressedSize)
  ) {
    const ratio = Math.round(info.uncompressedSize / Math.max(1, info.compressedSize));
    throw zipRefused(
      `The zip was refused: entry ${shown} expands ${ratio}-fold (limit ${limits.maxCompressionRatio}), which looks like a zip bomb; images barely compress. Nothing was extracted.`,
    );
  }
  if (isClutterPath(segments)) return { kind: "ignore", path: clean };
  const ext = extname(clean).toLowerCase();
  // Label tables are extracted for the importer; files without an extension or named by a UID ("1.2.840.7") may
  // be DICOM, which the scan recognises by their bytes.
  if (!IMAGE_EXTENSIONS.has(ext) && !LABEL_TABLE_EXTENSIONS.has(ext) && ext !== "" && !/^\.\d+$/.test(ext))
    return {
      kind: "skip",
      path: clean,
      reason: `not a ${describeImageExtensions()} file or label table (not extracted)`,
    };
  return { kind: "image", path: clean, size: info.uncompressedSize };
}

export interface ZipPlan {
  entries: EntryDecision[];
  images: number;
  totalUncompressedBytes: number;
  skipped: ImportSkip[];
}

function decide(entry: RawEntry, limits: ZipLimits): EntryDecision {
  const name = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
  return classifyEntry(
    name,
    {
      externalFileAttributes: entry.externalFileAttributes,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      encrypted: entry.isEncrypted(),
    },
    limits,
  );
}

/** First pass over the central directory: refuses the archive before a single byte is extracted. */
export async function inspectZip(zipPath: string, limits: ZipLimits = defaultZipLimits()): Promise<ZipPlan> {
  const zip = await openZip(zipPath);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw zipRefused(`The zip was refused: it has ${zip.entryCount} entries (limit ${limits.maxEntries}).`);
  }
  const plan: ZipPlan = { entries: [], images: 0, totalUncompressedBytes: 0, skipped: [] };
  await forEachEntry(zip, (entry) => {
    const d = decide(entry, limits);
    plan.entries.push(d);
    if (d.kind === "skip") plan.skipped.push({ path: d.path, reason: d.reason });
    if (d.kind !== "image") return;
    plan.images++;
    plan.totalUncompressedBytes += d.size;
    if (plan.totalUncompressedBytes > limits.maxTotalUncompressedBytes) {
      throw zipRefused(
        `The zip was refused: its images expand to more than ${megabytes(limits.maxTotalUncompressedBytes)}, the limit for one upload. Nothing was extracted.`,
      );
    }
  });
  if (plan.images === 0) throw zipRefused(`The zip holds no ${describeImageExtensions()} images.`);
  return plan;
}

/** Resolves an entry path under `root`, refusing anything that would land outside it (defence in depth). */
export function safeJoin(root: string, entryPath: string): string {
  const base = resolve(root);
  const target = resolve(base, entryPath);
  if (!target.startsWith(base + sep))
    throw zipRefused(`The zip was refused: entry ${JSON.stringify(entryPath)} points outside the archive folder.`);
  return target;
}

/**
 * Inspects, then extracts the image entries into `destDir`. Declared sizes are not trusted: each entry's
 * stream is cut off past its declared size (yauzl's validateEntrySizes) and the running total is checked.
 */
export async function extractZip(
  zipPath: string,
  destDir: string,
  limits: ZipLimits = defaultZipLimits(),
  /** Extracts only the accepted entries whose path passes (the preview takes the label tables alone). */
  only: (path: string) => boolean = () => true,
): Promise<ZipPlan> {
  const plan = await inspectZip(zipPath, limits);
  await mkdir(destDir, { recursive: true });
  const zip = await openZip(zipPath);
  let written = 0;
  await forEachEntry(zip, async (entry) => {
    const d = decide(entry, limits);
    if (d.kind !== "image" || !only(d.path)) return;
    const target = safeJoin(destDir, d.path);
    await mkdir(dirname(target), { recursive: true });
    const stream = await new Promise<Readable>((res, rej) =>
      zip.openReadStream(entry as unknown as yauzl.Entry, (err, s) =>
        err || !s ? rej(err ?? new Error("yauzl gave no read stream")) : res(s),
      ),
    );
    const remaining = limits.maxTotalUncompressedBytes - written;
    const limit = new ByteLimit(remaining, () =>
      zipRefused(`The zip was refused: its images expand to more than ${megabytes(limits.maxTotalUncompressedBytes)}.`),
    );
    // "wx": an entry repeated in the archive cannot overwrite (or follow a link planted by) an earlier one.
    await pipeline(stream, limit, createWriteStream(target, { flags: "wx", mode: 0o600 })).catch((e: unknown) => {
      if (isDomainError(e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw zipRefused(
        code === "EEXIST"
          ? `The zip was refused: entry ${JSON.stringify(d.path)} appears twice.`
          : `The zip archive is damaged at ${JSON.stringify(d.path)}: ${(e as Error).message}.`,
      );
    });
    written += limit.bytes;
  });
  return plan;
}

/**
 * Zipping a folder usually wraps everything in that folder's name; the importer wants the class folders at
 * the root. Descends while a folder holds exactly one sub-folder and nothing else. Works on the extracted
 * entries' paths (what extraction writes, clutter excluded), so the import and the preview, which extracts the
 * label tables only, agree on the root and on the tables' paths under it. Returns "" or "a/b/".
 */
export function wrappingFolder(paths: readonly string[], maxDepth = 3): string {
  let prefix = "";
  for (let depth = 0; depth < maxDepth; depth++) {
    const below = paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split("/"));
    const first = below[0]?.[0];
    if (first === undefined || below.some((segments) => segments.length < 2 || segments[0] !== first)) break;
    prefix += `${first}/`;
  }
  return prefix;
}

function extractedPaths(plan: ZipPlan): string[] {
  return plan.entries.flatMap((e) => (e.kind === "image" ? [e.path] : []));
}

export const zipImportInputSchema = importFolderFieldsSchema
  .omit({ folder: true })
  .extend({
    /** The uploaded file's name, kept as the dataset's source. */
    fileName: text()
      .trim()
      .min(1, "fileName is required")
      .max(255, "fileName must be at most 255 characters")
      .default("upload.zip"),
  })
  .superRefine(refineLabelTableOptions);
export type ZipImportInput = z.input<typeof zipImportInputSchema>;

export interface ZipImportResult extends FolderImportResult {
  /** Archive entries not extracted (wrong type), also appended to Dataset.importReport. */
  zipSkipped: ImportSkip[];
  uploadBytes: number;
}

/**
 * The whole upload path: stream to <storage>/tmp, inspect, extract, import, and always delete the temporary
 * files. Refusals throw DomainError (invalid, or too-large for the upload limit); layout and naming problems come from the folder importer.
 */
export async function importZipDataset(
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  input: ZipImportInput,
  limits: ZipLimits = defaultZipLimits(),
  audit?: { actorId: string },
): Promise<ZipImportResult> {
  const opts = zipImportInputSchema.parse(input);
  const workspace = await createUploadWorkspace();
  try {
    const uploadBytes = await saveUpload(body, workspace.zipPath, limits.maxUploadBytes);
    const plan = await extractZip(workspace.zipPath, workspace.extractDir, limits);
    const root = join(workspace.extractDir, wrappingFolder(extractedPaths(plan)));
    const { fileName, ...folderInput } = opts;
    // The folder is this upload's own temporary one; source, report and audit go in with the rows, at once.
    const result = await importFolderDataset(
      { ...folderInput, folder: root },
      { scope: "any-path" },
      {
        source: `upload:${fileName}`,
        priorSkips: plan.skipped,
        audit: audit && { actorId: audit.actorId, action: "dataset.upload", details: { fileName, bytes: uploadBytes } },
      },
    );
    return { ...result, zipSkipped: plan.skipped, uploadBytes };
  } finally {
    await workspace.remove();
  }
}

export interface ZipTablePreview {
  /** The label tables under the dataset's root, their paths as the import's `labels` option takes them. */
  tables: TablePreview[];
  /** Entries that would be extracted for the import, tables excepted (images and possible DICOM files). */
  files: number;
  /** Entries the import would skip (wrong type). */
  skipped: ImportSkip[];
}

/**
 * What the console's label-table picker shows for a zip before anything is written: the upload goes through the
 * import's own checks (size, zip-slip, bombs), only its label tables are extracted and summarised (with the folder
 * preview's own limits), and the temporary folder is deleted whatever happens. No row is written.
 */
export async function previewZipLabelTables(
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  limits: ZipLimits = defaultZipLimits(),
): Promise<ZipTablePreview> {
  const isTable = (path: string) => LABEL_TABLE_EXTENSIONS.has(extname(path).toLowerCase());
  const workspace = await createUploadWorkspace();
  try {
    await saveUpload(body, workspace.zipPath, limits.maxUploadBytes);
    const plan = await extractZip(workspace.zipPath, workspace.extractDir, limits, isTable);
    const paths = extractedPaths(plan);
    const root = join(workspace.extractDir, wrappingFolder(paths));
    // Without a table under the root there is nothing to read (and the folder may not even exist).
    const tables = paths.some(isTable) ? await previewFolderTables(root, { scope: "any-path" }) : [];
    return { tables, files: paths.filter((p) => !isTable(p)).length, skipped: plan.skipped };
  } finally {
    await workspace.remove();
  }
}
