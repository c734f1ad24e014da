// Starting the Next.js server as a child process with the prepared environment; shared by
// `npm start`, `npm run dev`, the demo and the browser tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve("next/dist/bin/next");

const distDir = () => process.env.FOCUS_NEXT_DIST_DIR || ".next";

// Everything the web build is made from; a build older than any of it is stale.
const BUILD_INPUTS = [
  "app",
  "lib",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function buildIsCurrent(): boolean {
  const id = `${distDir()}/BUILD_ID`;
  if (!existsSync(id)) return false;
  const built = statSync(id).mtimeMs;
  return BUILD_INPUTS.every((p) => newestMtime(p) <= built);
}

/** Builds when there is no build or the sources changed since the last one (e.g. after a pull). */
export function buildIfNeeded(force = false): void {
  if (!force && buildIsCurrent()) return;
  console.log("Building the web app (first run only; takes a minute or two)…");
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("next build failed");
}

/** With `logFile`, the server's output also goes to that file (the browser tests read what the server logged). */
export function startNext(
  mode: "dev" | "start",
  port: number,
  extraEnv: Record<string, string> = {},
  options: { logFile?: string } = {},
): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, mode, "-p", String(port), "-H", "127.0.0.1"], {
    stdio: options.logFile ? ["inherit", "pipe", "pipe"] : "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
      ...extraEnv,
    },
  });
  if (options.logFile) {
    const file = createWriteStream(options.logFile, { flags: "a" });
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      file.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      file.write(chunk);
    });
    child.once("exit", () => file.end());
  }
  return child;
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
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
