// Browser tests: a production build served on a spare port against the test database, driven
// by Playwright in Debian's Chromium (never a downloaded browser).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { buildIfNeeded, startNext, waitForHttp } from "../harness/next-process";
import { createTestDatabase } from "../harness/test-database";
import { envVar } from "../lib/config/env";

const require = createRequire(import.meta.url);

export async function runE2eTests(
  databaseUrl: string,
  args: string[] = [],
  config = "e2e/playwright.config.ts",
): Promise<number> {
  const port = envVar("E2E_PORT");
  const baseURL = `http://127.0.0.1:${port}`;
  const storage = process.env.FOCUS_STORAGE_DIR ?? mkdtempSync(join(tmpdir(), "focus-e2e-storage-"));
  // Specs that import a folder through the web app make it under the first root.
  const importRoots = process.env.FOCUS_IMPORT_ROOTS || mkdtempSync(join(tmpdir(), "focus-e2e-imports-"));
  const appEnv = {
    FOCUS_NEXT_DIST_DIR: process.env.FOCUS_NEXT_DIST_DIR || ".next-e2e",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: "e2e-secret-".padEnd(40, "x"),
    NEXTAUTH_URL: baseURL,
    FOCUS_STORAGE_DIR: storage,
    // Small enough that the body-limit test can overrun it quickly; larger than any zip the tests upload.
    FOCUS_MAX_UPLOAD_MB: process.env.FOCUS_MAX_UPLOAD_MB ?? "16",
    FOCUS_IMPORT_ROOTS: importRoots,
  };
  Object.assign(process.env, appEnv);
  buildIfNeeded(process.env.FOCUS_E2E_REUSE_BUILD !== "1");
  const serverLog = join(mkdtempSync(join(tmpdir(), "focus-e2e-log-")), "server.log");
  const server = startNext("start", port, appEnv, { logFile: serverLog });
  try {
    await waitForHttp(`${baseURL}/api/health`);
    const cli = require.resolve("@playwright/test/cli");
    // Not spawnSync: this process must keep copying the server's output (to the terminal and the log file)
    // while the tests run, or the server would block once the pipe is full.
    const playwright = spawn(process.execPath, [cli, "test", "-c", config, ...args], {
      stdio: "inherit",
      env: {
        ...process.env,
        ...appEnv,
        E2E_BASE_URL: baseURL,
        E2E_SERVER_PID: String(server.pid ?? ""),
        E2E_SERVER_LOG: serverLog,
      },
    });
    return await new Promise<number>((done) => playwright.once("exit", (code) => done(code ?? 1)));
  } finally {
    server.kill("SIGTERM");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tdb = await createTestDatabase();
  let code: number;
  try {
    code = await runE2eTests(tdb.url, process.argv.slice(2));
  } finally {
    await tdb.drop();
  }
  process.exit(code);
}
