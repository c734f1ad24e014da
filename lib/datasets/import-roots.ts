// Which server folders a researcher may import from the web app: only those under FOCUS_IMPORT_ROOTS. The server
// may run as root, so the operating system's permissions protect nothing here (a 0700 folder, /etc and /proc
// all read fine). Paths are compared after resolving symbolic links, and by whole path segments, so a root
// `/data/imp` admits neither `/data/import-evil` nor a link inside it that points elsewhere. The CLI, run by
// someone who already has a shell, imports any path and does not come through here.
import { readdir, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { DomainError } from "@/lib/errors/domain-error";
import { IMPORT_ROOTS_HINT } from "./import-roots-hint";

/** How an import may reach the file system: anywhere (shell users, the zip importer's own temp folder) or under roots. */
export type FolderAccess = { scope: "any-path" } | { scope: "import-roots"; roots: readonly string[] };

function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of roots) {
    const real = await realpath(r).catch(() => null);
    if (real) out.push(real);
  }
  return out;
}

/** The nearest existing folder at or above `path`, resolved. */
async function nearestExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    const real = await realpath(p).catch(() => null);
    if (real) return real;
    if (p === dirname(p)) return p;
  }
}

function refused(folder: string, roots: readonly string[]): DomainError {
  // Deliberately the same for a missing folder and an existing one outside the roots, and never a listing.
  return DomainError.forbidden(
    `The folder ${JSON.stringify(folder)} is not inside an import root (${roots.join(", ")}). ` +
      "Put the data set under one of those folders, or upload it as a zip.",
  );
}

/**
 * Resolves `folder` (following every link) and returns its real path when it lies inside one of `roots` and
 * no entry the importer reads (class folders, their files, masks) links to a place outside the roots.
 */
export async function confineToImportRoots(folder: string, roots: readonly string[]): Promise<string> {
  if (roots.length === 0)
    throw DomainError.forbidden(`Importing a folder from the server is not enabled. ${IMPORT_ROOTS_HINT}`);
  if (!isAbsolute(folder))
    throw DomainError.invalid("folder must be an absolute path", [
      { field: "folder", message: "must be an absolute path" },
    ]);
  const allowed = await realRoots(roots);
  const inside = (p: string) => allowed.some((r) => isWithin(p, r));
  const real = await realpath(folder).catch(() => null);
  if (real === null) {
    if (inside(await nearestExisting(resolve(folder)))) throw DomainError.notFound(`Folder not found: ${folder}`);
    throw refused(folder, roots);
  }
  if (!inside(real)) throw refused(folder, roots);
  if (!(await stat(/* turbopackIgnore: true */ real)).isDirectory())
    throw DomainError.invalid(`Not a folder: ${folder}`);
  await assertNoLinkOutside(real, inside);
  return real;
}

/** A file (a label table) under the import roots, after following links; refused like a folder outside them. */
export async function confineFileToImportRoots(file: string, roots: readonly string[]): Promise<string> {
  if (roots.length === 0)
    throw DomainError.forbidden(`Importing a folder from the server is not enabled. ${IMPORT_ROOTS_HINT}`);
  const allowed = await realRoots(roots);
  const real = await realpath(file).catch(() => null);
  if (real === null || !allowed.some((r) => isWithin(real, r))) throw refused(file, roots);
  if (!(await stat(/* turbopackIgnore: true */ real)).isFile()) throw DomainError.invalid(`Not a file: ${file}`);
  return real;
}

/**
 * Every entry under the folder, at any depth: split folders, class folders, per-case folders and label-table
 * paths all nest, so no depth is safe to skip. A link is followed only to check where it points; a link to a
 * folder inside the roots is walked too (once per real folder, so a loop of links ends), because the importer
 * reads through it.
 */
async function assertNoLinkOutside(root: string, inside: (p: string) => boolean): Promise<void> {
  const seen = new Set<string>([root]);
  const pending: { dir: string; shown: string }[] = [{ dir: root, shown: "" }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const e of await readdir(/* turbopackIgnore: true */ next.dir, { withFileTypes: true })) {
      const path = join(next.dir, e.name);
      const shown = `${next.shown}${e.name}`;
      let dir: string | null = e.isDirectory() ? path : null;
      if (e.isSymbolicLink()) {
        const target = await realpath(path).catch(() => null);
        // A dangling link reads nothing; the importer reports it as unreadable.
        if (target === null) continue;
        if (!inside(target)) {
          throw DomainError.forbidden(
            `The folder was refused: ${JSON.stringify(shown)} is a link to a place outside the import roots.`,
          );
        }
        dir = (await stat(/* turbopackIgnore: true */ target)).isDirectory() ? target : null;
      }
      if (dir !== null && !seen.has(dir)) {
        seen.add(dir);
        pending.push({ dir, shown: `${shown}/` });
      }
    }
  }
}
