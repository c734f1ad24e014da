// Real data sets shared beside the repository, in ../shared/data seen from the repository root. A git
// worktree's root is elsewhere, so the main checkout's root (the parent of the common .git folder) is tried
// too. Tests that need such a set skip, naming the folder, when it is absent.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function mainCheckoutRoot(): string | null {
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd: repositoryRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return dirname(common);
  } catch {
    return null;
  }
}

/** The folder of a shared data set, or where it was looked for first when absent (for the skip message). */
export function sharedDataSet(name: string): { path: string; present: boolean } {
  const roots = [repositoryRoot, mainCheckoutRoot()].filter((r): r is string => r !== null);
  const candidates = roots.map((root) => resolve(root, "../shared/data", name));
  const found = candidates.find((p) => existsSync(p));
  return found ? { path: found, present: true } : { path: candidates[0], present: false };
}
