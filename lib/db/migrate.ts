// Applies committed migrations through Prisma's own CLI (prisma.config.ts points it at the
// WASM schema engine where no native engine exists), so there is one migration path everywhere.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
// prisma.config.ts (which points the CLI at the WASM schema engine) is read from the working folder.
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function migrateDeploy(databaseUrl: string, opts: { quiet?: boolean } = {}): Promise<void> {
  const cli = require.resolve("prisma/build/index.js");
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", opts.quiet ? "pipe" : "inherit", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${stderr.trim()}`)),
    );
  });
}
