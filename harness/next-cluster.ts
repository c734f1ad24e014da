// `npm start` serves from several `next start` processes on one port (FOCUS_WEB_PROCESSES, default one
// per core): one Node process renders on one core, so a single server leaves the other cores idle under a
// burst of readers. Node's cluster module shares the listening socket: the primary (this process) accepts
// connections and hands them to the children in turn, so nothing sits in front of Next and no request is
// copied through a proxy.
// Nothing a request needs lives in one child's memory: sessions are JWTs signed with the one NEXTAUTH_SECRET
// every child inherits and sign-in throttling is in PostgreSQL (lib/auth/rate-limit.ts); what a child keeps
// in memory only spares work (the log throttle of lib/auth/auth-logger.ts counts per child).
// A child that dies is logged and started again (after a growing pause when it keeps dying at start-up);
// stop() ends them all.
import { spawn, type ChildProcess } from "node:child_process";
import cluster, { type Worker } from "node:cluster";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { logger } from "../lib/logging/logger";

const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve("next/dist/bin/next");

/** Set on each child (1…N), so that a test can tell which child answered (/api/health reports it). */
export const WEB_PROCESS_ENV = "FOCUS_WEB_PROCESS";

// A child that lived shorter than this crashed at start-up: wait before the next try, doubling up to the cap.
const QUICK_CRASH_MS = 10_000;
const RESTART_CAP_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export interface NextCluster {
  readonly processes: number;
  /** Resolves when every child has answered once on the port. */
  listening: Promise<void>;
  /** SIGTERM to every child, SIGKILL to those still running after a grace period; no restarts meanwhile. */
  stop(): Promise<void>;
}

export function startNextCluster(opts: {
  port: number;
  processes: number;
  env?: Record<string, string>;
  log?: (level: "info" | "error", msg: string) => void;
}): NextCluster {
  if (!cluster.isPrimary) throw new Error("startNextCluster runs in the primary process only");
  const webLog = logger.child({ name: "web" });
  const log = opts.log ?? ((level: "info" | "error", msg: string) => webLog[level](msg));
  // Plain node for the children: the primary may run under tsx, whose loaders Next does not need.
  cluster.setupPrimary({
    exec: NEXT_BIN,
    args: ["start", "-p", String(opts.port), "-H", "127.0.0.1"],
    execArgv: [],
  });
  const childEnv = (index: number) => ({
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${opts.port}`,
    ...opts.env,
    [WEB_PROCESS_ENV]: String(index),
  });
  let stopping = false;
  const live = new Map<number, Worker>();
  const quickCrashes = new Map<number, number>();
  let pendingListen = opts.processes;
  let listened!: () => void;
  const listening = new Promise<void>((r) => (listened = r));

  const fork = (index: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork(childEnv(index));
    live.set(index, worker);
    let first = true;
    worker.on("listening", () => {
      if (!first) return;
      first = false;
      if (--pendingListen === 0) listened();
    });
    worker.on("exit", (code, signal) => {
      if (live.get(index) === worker) live.delete(index);
      if (stopping) return;
      const lived = Date.now() - startedAt;
      const crashes = lived < QUICK_CRASH_MS ? (quickCrashes.get(index) ?? 0) + 1 : 0;
      quickCrashes.set(index, crashes);
      const delay = crashes === 0 ? 0 : Math.min(RESTART_CAP_MS, 500 * 2 ** crashes);
      log(
        "error",
        `web process ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s; starting it again${delay ? ` in ${delay / 1000} s` : ""}`,
      );
      // While it is down, the other children keep serving; the primary sends them every new connection.
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delay).unref();
    });
  };

  log("info", `serving on port ${opts.port} from ${opts.processes} processes (FOCUS_WEB_PROCESSES)`);
  for (let i = 1; i <= opts.processes; i++) fork(i);

  let stopped: Promise<void> | undefined;
  return {
    processes: opts.processes,
    listening,
    stop() {
      stopping = true;
      stopped ??= Promise.all(
        [...live.values()].map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.process.exitCode !== null || w.process.signalCode !== null) return resolve();
              const kill = setTimeout(() => w.process.kill("SIGKILL"), STOP_GRACE_MS);
              w.process.once("exit", () => {
                clearTimeout(kill);
                resolve();
              });
              w.process.kill("SIGTERM");
            }),
        ),
      ).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * The same, with the primary in a process of its own (harness/serve-next-cluster.ts), for callers that drive
 * the server from their own event loop (the load bench, the browser test). It stops its children on SIGTERM
 * and when this process goes away, and sends `{ listening: n }` once every child listens (see `allListening`).
 */
export function spawnNextCluster(opts: {
  port: number;
  processes: number;
  env: Record<string, string>;
  stdio?: "inherit" | "pipe";
}): ChildProcess {
  const primary = fileURLToPath(new URL("./serve-next-cluster.ts", import.meta.url));
  const out = opts.stdio ?? "inherit";
  return spawn(process.execPath, ["--import", "tsx", primary, String(opts.port), String(opts.processes)], {
    stdio: ["ignore", out, out, "ipc"],
    env: { ...process.env, ...opts.env },
  });
}

/** Resolves once every child of a spawned cluster listens; rejects when the primary exits first or on timeout. */
export function allListening(primary: ChildProcess, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web processes not all listening after ${timeoutMs} ms`)),
      timeoutMs,
    );
    primary.once("exit", (code) => reject(new Error(`web primary exited (${code}) before listening`)));
    primary.on("message", (m: unknown) => {
      if (typeof m === "object" && m !== null && "listening" in m) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
