// Starting the Next.js server as a child process with the prepared environment; shared by
// `npm start`, `npm run dev`, the demo and the browser tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve("next/dist/bin/next");

const distDir = () => process.env.FOCUS_NEXT_DIST_DIR || ".next";

export function buildIfNeeded(force = false): void {
  if (!force && existsSync(`${distDir()}/BUILD_ID`)) return;
  console.log("Building the web app (first run only; takes a minute or two)…");
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("next build failed");
}

export function startNext(mode: "dev" | "start", port: number, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, mode, "-p", String(port), "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
      ...extraEnv,
    },
  });
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Ends the child and the embedded database together on Ctrl-C or SIGTERM. */
export function stopTogether(child: ChildProcess, cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await cleanup().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 0));
}
