// The worker entry point's logic (workers/main.ts only calls runWorkerMain).
//
// Concurrency: TensorFlow.js' WASM backend runs on the JavaScript thread (tfjs turns WASM threads off in
// Node), so one process trains on one core however many jobs it holds. FOCUS_WORKER_CONCURRENCY = N
// therefore starts N worker processes, each taking one job at a time: N = the number of cores is how to use
// a machine's cores. (On the native tfjs-node backends one process already uses several cores; keep N = 1.)
// The native kernels of the wasm backend run on a thread pool: each child gets cores / N threads as
// FOCUS_THREADS unless it is set, so N one-thread workers and one N-thread worker both fill the machine.
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { envVar } from "@/lib/config/env";
import { disconnectDb } from "@/lib/db/client";
import { defaultThreadsPerWorker, THREADS_ENV_VAR } from "@/lib/ml/backend/native-kernels";
import { prepareDatabase } from "@/lib/db/prepare";
import { startWorker } from "./worker";
import { logger } from "@/lib/logging/logger";
import { takeOverShutdownSignals } from "@/lib/db/shutdown-signals";

const CHILD_FLAG = "FOCUS_WORKER_CHILD";

export function workerConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  return envVar("FOCUS_WORKER_CONCURRENCY", env);
}

const workerLog = logger.child({ name: "worker", pid: process.pid });

function log(msg: string): void {
  workerLog.info(msg);
}

/** One worker in this process; resolves when it has shut down after SIGTERM/SIGINT (or its parent left). */
async function runSingleWorker(isChild: boolean): Promise<void> {
  const prepared = await prepareDatabase({ migrate: !isChild, log });
  const worker = await startWorker({ connectionString: prepared.url, log });
  // pg-boss' timers are unref'd: without a referenced handle, Node would exit in the middle of a graceful
  // shutdown (while offWork waits for the running job) and leave the run marked RUNNING.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => {
    let stopping: Promise<void> | undefined;
    const stop = (why: string) => {
      if (stopping) {
        log(`${why} again: stopping at the next batch (the last finished epoch's checkpoint is kept)`);
        worker.shutdownState.request();
        return;
      }
      log(`${why}: finishing the current epoch, then stopping (send again to stop sooner)`);
      stopping = worker.shutdown().then(resolve, (e) => {
        log(`shutdown error: ${(e as Error).message}`);
        resolve();
      });
    };
    takeOverShutdownSignals(stop);
    // A child whose supervisor died must not run on unsupervised.
    if (isChild) process.on("disconnect", () => stop("supervisor gone"));
  });
  clearInterval(keepAlive);
  await disconnectDb();
  await prepared.embedded?.stop().catch(() => undefined);
}

/** Starts n single-job worker processes and relays signals to them; exits when all have exited. */
async function superviseWorkers(n: number): Promise<number> {
  // Prepare (and migrate) once, so the children agree on one database and do not race on migrations.
  const prepared = await prepareDatabase({ log });
  const script = process.argv[1];
  log(`starting ${n} worker processes (FOCUS_WORKER_CONCURRENCY=${n})`);
  const threads = process.env[THREADS_ENV_VAR]?.trim() || String(defaultThreadsPerWorker(os.availableParallelism(), n));
  const children: ChildProcess[] = [];
  const exits: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    // Own process group (detached): a terminal's Ctrl-C reaches only the supervisor, which relays it once.
    const child = fork(script, process.argv.slice(2), {
      env: {
        ...process.env,
        DATABASE_URL: prepared.url,
        FOCUS_WORKER_CONCURRENCY: "1",
        [THREADS_ENV_VAR]: threads,
        [CHILD_FLAG]: "1",
      },
      execArgv: process.execArgv,
      detached: true,
      stdio: "inherit",
    });
    children.push(child);
    exits.push(new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1))));
  }
  takeOverShutdownSignals((signal) => {
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  });
  const keepAlive = setInterval(() => undefined, 60_000);
  const codes = await Promise.all(exits);
  clearInterval(keepAlive);
  log(`all worker processes exited (${codes.join(", ")})`);
  await prepared.embedded?.stop().catch(() => undefined);
  return Math.max(0, ...codes);
}

export async function runWorkerMain(): Promise<number> {
  const isChild = process.env[CHILD_FLAG] === "1";
  const n = isChild ? 1 : workerConcurrency();
  if (n > 1) return superviseWorkers(n);
  await runSingleWorker(isChild);
  return 0;
}
