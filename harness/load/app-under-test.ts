// The pieces a load or fault run needs: a seeded published study with invited readers, and the
// production Next.js server started on localhost against the run's own database and storage.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createStudyFixture } from "../../lib/testing/study-fixture";
import { buildIfNeeded, waitForHttp } from "../next-process";
import { envVar } from "../../lib/config/env";
import { allListening, spawnNextCluster } from "../next-cluster";
import { signInWithInvitation } from "./invitation-sign-in";
import type { CookieJar } from "./http-client";

export interface SeededReader {
  readerId: string;
  link: string;
}

export async function seedStudyWithReaders(opts: { cases: number; arms: number; readers: number }) {
  // No revisits: a changed resubmission is a 409, so "exactly once" is checked against the first answer.
  const fixture = await createStudyFixture({ cases: opts.cases, arms: opts.arms, settings: { rationaleMin: 5 } });
  const readers: SeededReader[] = [];
  for (let i = 0; i < opts.readers; i++) {
    const { link, readerId } = await fixture.inviteReader(`Load reader ${i + 1}`);
    readers.push({ readerId, link });
  }
  return { studyId: fixture.studyId, readers };
}

export interface RunningApp {
  base: string;
  /** The primary of the web processes (harness/serve-next-cluster.ts); the `next start` children are its. */
  child: ChildProcess;
  processes: number;
  stop(): Promise<void>;
}

export async function startProductionApp(opts: {
  port: number;
  env: Record<string, string>;
  forceBuild?: boolean;
  quiet?: boolean;
  /** Web processes, as `npm start` runs them (default FOCUS_WEB_PROCESSES, else one per core). */
  processes?: number;
}): Promise<RunningApp> {
  // Another checkout user may be building into the shared .next folder: wait for it rather than fail.
  for (let waited = 0; existsSync(".next/lock") && waited < 600; waited += 2)
    await new Promise((r) => setTimeout(r, 2000));
  buildIfNeeded(opts.forceBuild ?? false);
  const base = `http://127.0.0.1:${opts.port}`;
  const processes = opts.processes ?? envVar("FOCUS_WEB_PROCESSES") ?? availableParallelism();
  // As `npm start` serves, with the primary in a process of its own: the simulated readers must not share its
  // event loop.
  const child = spawnNextCluster({ port: opts.port, processes, env: { ...opts.env, NEXTAUTH_URL: base } });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await allListening(child, 60_000);
  await waitForHttp(`${base}/api/health`, 60_000);
  return {
    base,
    child,
    processes,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    },
  };
}

/** Signs readers in through the real invitation flow, a few at a time. */
export async function signInAll(
  base: string,
  readers: SeededReader[],
  concurrency = 10,
  onTime?: (ms: number) => void,
): Promise<CookieJar[]> {
  const jars = new Array<CookieJar>(readers.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < readers.length) {
        const i = next++;
        const t = performance.now();
        jars[i] = await signInWithInvitation(base, readers[i].link);
        onTime?.(performance.now() - t);
      }
    }),
  );
  return jars;
}
