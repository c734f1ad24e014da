// Fault scenario: PostgreSQL restarts while readers autosave and submit. A throwaway embedded server
// (its own data folder and port) backs a production Next.js server; readers work through a study with
// the survey client's retry policy while the database is stopped and started again. Afterwards every
// acknowledged answer must be stored exactly once.
import { mkdtempSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { startEmbeddedPostgres, type EmbeddedHandle } from "@/lib/db/embedded-postgres";
import { migrateDeploy } from "@/lib/db/migrate";
import { seedStudyWithReaders, signInAll, startProductionApp } from "../../harness/load/app-under-test";
import { LatencyRecorder, formatTable } from "../../harness/load/latency-stats";
import { runReader } from "../../harness/load/reader-flow";
import { verifyAnswers, type AnswerCheck, type ExpectedAnswer } from "../../harness/load/verify-answers";
import { agent } from "../../harness/load/http-client";

export interface RestartOutcome {
  answers: AnswerCheck;
  retries: number;
  finalErrors: number;
  downMs: number;
  table: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function postgresRestartScenario(
  opts: { readers?: number; cases?: number; appPort?: number; downMs?: number; log?: (m: string) => void } = {},
): Promise<RestartOutcome> {
  const log = opts.log ?? console.log;
  const parent = mkdtempSync(join(tmpdir(), "focus-fault-pg-"));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, "pg");
  const port = await freePort();
  // persistent: the data folder must survive the stop in the middle of the scenario; removed at the end.
  const start = () => startEmbeddedPostgres({ dataDir, port, log: () => undefined, persistent: true });
  let pgHandle: EmbeddedHandle | undefined = await start();
  const url = pgHandle.url;
  const storage = mkdtempSync(join(tmpdir(), "focus-fault-storage-"));
  const appEnv = {
    DATABASE_URL: url,
    FOCUS_STORAGE_DIR: storage,
    NEXTAUTH_SECRET: "fault-test-secret-".padEnd(40, "x"),
  };
  const savedEnv = Object.fromEntries(Object.keys(appEnv).map((k) => [k, process.env[k]]));
  Object.assign(process.env, appEnv);
  let app: Awaited<ReturnType<typeof startProductionApp>> | undefined;
  try {
    await migrateDeploy(url, { quiet: true });
    const { studyId, readers } = await seedStudyWithReaders({
      cases: opts.cases ?? 6,
      arms: 4,
      readers: opts.readers ?? 20,
    });
    const { disconnectDb } = await import("@/lib/db/client");
    await disconnectDb(); // this process's pool would only see dead connections after the restart
    app = await startProductionApp({ port: opts.appPort ?? (await freePort()), env: appEnv });
    const jars = await signInAll(app.base, readers, 5);
    const recorder = new LatencyRecorder();
    const expected: ExpectedAnswer[] = [];
    const downMs = opts.downMs ?? 4000;
    const work = Promise.all(
      readers.map((r, i) =>
        runReader({
          base: app!.base,
          studyId,
          cases: opts.cases ?? 6,
          jar: jars[i],
          recorder,
          thinkMs: 400,
          draftsPerCase: 2,
          // The survey client's policy, with more patience: a reader presses "Submit" again after an outage.
          tries: 8,
          backoffMs: 500,
          onSubmitted: (caseNumber, slot, rationale) =>
            expected.push({ readerId: r.readerId, caseNumber, slot, rationale }),
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 2500));
    log(`stopping PostgreSQL for ${downMs} ms while ${readers.length} readers work…`);
    await pgHandle.stop();
    pgHandle = undefined;
    await new Promise((r) => setTimeout(r, downMs));
    pgHandle = await start();
    log("PostgreSQL is back");
    await work;
    const summary = recorder.summarise(1);
    const answers = await verifyAnswers(url, studyId, expected);
    return {
      answers,
      retries: summary.reduce((a, s) => a + s.retries, 0),
      finalErrors: summary.reduce((a, s) => a + s.errors, 0),
      downMs,
      table: formatTable(summary),
    };
  } finally {
    agent.destroy();
    await app?.stop();
    await pgHandle?.stop();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(parent, { recursive: true, force: true });
    rmSync(storage, { recursive: true, force: true });
  }
}
