// Fault injection for storage tests: a tiny tmpfs (to fill up) or a read-only one mounted over a
// folder. Root ignores file modes, so chmod cannot make a folder read-only for the tests; a real
// mount gives the kernel's own ENOSPC / EROFS. Returns null where mounting is not allowed.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

export interface Mounted {
  path: string;
  unmount(): void;
}

export function mountTmpfs(path: string, opts: { sizeBytes: number; readOnly?: boolean }): Mounted | null {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return null;
  mkdirSync(path, { recursive: true });
  const options = [`size=${opts.sizeBytes}`, opts.readOnly ? "ro" : "rw"].join(",");
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], { encoding: "utf8" });
  if (r.status !== 0) return null;
  return {
    path,
    unmount() {
      spawnSync("umount", [path]);
    },
  };
}
