// Worker liveness against real PostgreSQL and real worker processes: a SIGKILLed worker's run is requeued by
// the survivor once the dead worker's heartbeat is stale, exactly once, and the survivor trains it; a worker
// frozen past the limit and then resumed gives the run up instead of training it beside its new owner.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { db, disconnectDb, JobStatus } from "@/lib/db/client";
import { createSyntheticDataset } from "@/lib/datasets/synthetic-dataset";
import { enqueueTraining } from "./enqueue";
import { parseTrainingRequest } from "./job-inputs";
import { workersPanel } from "./job-queries";
import { startBoss, TRAIN_QUEUE } from "./queues";
import { cancelLeftoverRuns, uniqueName, waitFor } from "./test-support";
import { requeueRunsOfLostWorkers } from "./worker-liveness";

// Short enough for a quick test, long enough that a worker busy compiling its first kernels on a loaded
// machine (its event loop blocked, so no beat) is not mistaken for a dead one.
const HEARTBEAT_MS = 1000;
const STALE_MS = 8000;

async function requeueEvents(runId: string) {
  return db().auditEvent.findMany({
    where: { action: "run.requeued-worker-lost", subject: runId },
    select: { createdAt: true, details: true },
  });
}

const jobIds: string[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await cancelLeftoverRuns(jobIds);
  await disconnectDb();
});

interface SpawnedWorker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnWorker(): SpawnedWorker {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: {
      ...process.env,
      FOCUS_WORKER_CONCURRENCY: "1",
      FOCUS_WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      FOCUS_WORKER_STALE_MS: String(STALE_MS),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function longRun(tag: string) {
  const dataset = await createSyntheticDataset({ name: uniqueName(tag), count: 12, size: 32, seed: 4 });
  const boss = await startBoss(process.env.DATABASE_URL!, { log: () => undefined, supervise: false });
  const job = await enqueueTraining(
    parseTrainingRequest({
      datasetId: dataset.id,
      variants: ["baseline"],
      seeds: [1],
      params: { epochs: 500, inputSize: 32, width: 0.25, batchSize: 4 },
    }),
    { boss },
  );
  jobIds.push(job.id);
  return { boss, runId: job.runs[0].id };
}

const pidOf = (workerId: string) => Number(workerId.split(":").at(-1));

test("concurrent requeues of a dead worker's run: exactly one wins, one audit event, a live worker's run is left", async () => {
  const { boss, runId } = await longRun("liveness-race");
  const live = await longRun("liveness-live");
  try {
    const now = new Date();
    const dead = `dead-${uniqueName("host")}:1`;
    const alive = `alive-${uniqueName("host")}:2`;
    for (const [id, age] of [
      [dead, 10 * 60_000],
      [alive, 500],
    ] as const) {
      await db().workerHeartbeat.create({
        data: {
          id,
          hostname: "h",
          backend: "wasm",
          pid: 1,
          startedAt: new Date(now.getTime() - 3_600_000),
          seenAt: new Date(now.getTime() - age),
        },
      });
    }
    await db().modelRun.update({ where: { id: runId }, data: { status: JobStatus.RUNNING, workerId: dead } });
    await db().modelRun.update({ where: { id: live.runId }, data: { status: JobStatus.RUNNING, workerId: alive } });

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        requeueRunsOfLostWorkers(boss, { staleMs: 60_000, byWorkerId: `reaper-${i}` }),
      ),
    );
    const mine = results.flat().filter((r) => r.runId === runId);
    assert.equal(mine.length, 1, "exactly one caller requeued the run");
    assert.equal(mine[0].lostWorkerId, dead);
    assert.equal(results.flat().filter((r) => r.runId === live.runId).length, 0);

    const run = await db().modelRun.findUniqueOrThrow({ where: { id: runId } });
    assert.equal(run.status, JobStatus.QUEUED);
    assert.equal(run.workerId, null);
    assert.equal(run.lostWorkerId, dead);
    assert.ok(run.workerLostAt);
    assert.equal(await db().auditEvent.count({ where: { action: "run.requeued-worker-lost", subject: runId } }), 1);
    assert.equal((await db().modelRun.findUniqueOrThrow({ where: { id: live.runId } })).status, JobStatus.RUNNING);
    // One job for the run, ready for any worker.
    assert.equal((await boss.findJobs(TRAIN_QUEUE, { key: runId, queued: true })).length, 1);
  } finally {
    await cancelLeftoverRuns(jobIds);
    await boss.stop({ graceful: false, timeout: 1000 });
    await live.boss.stop({ graceful: false, timeout: 1000 });
  }
});

test(
  "SIGKILL of the training worker: the survivor requeues the run within stale + heartbeat and trains it",
  { timeout: 240_000 },
  async () => {
    const { boss, runId } = await longRun("liveness-kill");
    try {
      const a = spawnWorker();
      const b = spawnWorker();
      const running = await waitFor(
        "a worker to train an epoch",
        async () => db().modelRun.findFirst({ where: { id: runId, status: JobStatus.RUNNING, epoch: { gte: 1 } } }),
        150_000,
      );
      const holderPid = pidOf(running.workerId!);
      const [holder, survivor] = a.child.pid === holderPid ? [a, b] : [b, a];
      assert.equal(
        holder.child.pid,
        holderPid,
        `the run is held by one of the two workers\n${a.output()}\n${b.output()}`,
      );
      await waitFor(
        "the survivor to be ready",
        () => Promise.resolve(/ready \(backend/.test(survivor.output())),
        60_000,
      );

      assert.deepEqual(await requeueEvents(runId), [], "no requeue while both workers were alive");
      const killedAt = Date.now();
      holder.child.kill("SIGKILL");
      await holder.exited;
      const retaken = await waitFor(
        "the survivor to take the run over",
        async () =>
          db().modelRun.findFirst({
            where: {
              id: runId,
              status: JobStatus.RUNNING,
              workerId: { not: running.workerId },
              lostWorkerId: running.workerId,
            },
          }),
        60_000,
      );
      const seconds = (Date.now() - killedAt) / 1000;
      console.log(
        `run requeued and taken over ${seconds.toFixed(1)} s after SIGKILL (heartbeat ${HEARTBEAT_MS} ms, stale ${STALE_MS} ms)`,
      );
      assert.equal(pidOf(retaken.workerId!), survivor.child.pid);
      assert.ok(
        retaken.workerLostAt!.getTime() - killedAt <= STALE_MS + 2 * HEARTBEAT_MS + 1000,
        "requeued within stale + heartbeat",
      );
      const events = await requeueEvents(runId);
      assert.equal(events.length, 1, JSON.stringify(events));
      // The dead worker's job was cancelled, so exactly one job is active: the survivor's.
      assert.equal((await boss.findJobs(TRAIN_QUEUE, { key: runId })).filter((j) => j.state === "active").length, 1);
      assert.match(survivor.output(), new RegExp(`run ${runId}: worker ${running.workerId} lost`));

      // The researcher's panel shows the dead worker offline and the survivor online.
      const panel = await workersPanel(new Date(), STALE_MS);
      assert.equal(panel.find((w) => w.pid === holderPid)?.online, false);
      assert.equal(panel.find((w) => w.pid === survivor.child.pid)?.online, true);

      // The survivor resumes from the checkpoint rather than starting over, and goes on training.
      await waitFor(
        "an epoch by the survivor",
        async () =>
          db().modelRun.findFirst({ where: { id: runId, workerId: retaken.workerId, epoch: { gt: retaken.epoch } } }),
        90_000,
      );
      survivor.child.kill("SIGTERM");
      assert.equal(await survivor.exited, 0, survivor.output());
    } finally {
      // Later tests start fresh workers, which must find no run of this one to resume.
      await cancelLeftoverRuns(jobIds);
      await boss.stop({ graceful: false, timeout: 1000 });
    }
  },
);

test(
  "a frozen worker (SIGSTOP past the limit) resumed after the requeue gives the run up and writes nothing",
  { timeout: 240_000 },
  async () => {
    const { boss, runId } = await longRun("liveness-stop");
    try {
      const a = spawnWorker();
      const b = spawnWorker();
      const running = await waitFor(
        "a worker to train an epoch",
        async () => db().modelRun.findFirst({ where: { id: runId, status: JobStatus.RUNNING, epoch: { gte: 1 } } }),
        150_000,
      );
      const [frozen, survivor] = a.child.pid === pidOf(running.workerId!) ? [a, b] : [b, a];
      await waitFor(
        "the survivor to be ready",
        () => Promise.resolve(/ready \(backend/.test(survivor.output())),
        60_000,
      );

      assert.deepEqual(await requeueEvents(runId), [], "no requeue while both workers were alive");
      frozen.child.kill("SIGSTOP");
      const retaken = await waitFor(
        "the survivor to take the run over",
        async () =>
          db().modelRun.findFirst({
            where: { id: runId, status: JobStatus.RUNNING, workerId: { not: running.workerId } },
          }),
        60_000,
      ).catch(async (e: Error) => {
        const row = await db().modelRun.findUnique({
          where: { id: runId },
          select: { status: true, workerId: true, lostWorkerId: true },
        });
        const waiting = await db().$queryRaw<
          unknown[]
        >`SELECT pid, state, wait_event_type, left(query, 200) AS q FROM pg_stat_activity WHERE wait_event_type = 'Lock' OR state = 'idle in transaction'`;
        throw new Error(
          `${e.message}\n${JSON.stringify(row)}\n${JSON.stringify(waiting)}\n--- survivor\n${survivor.output()}`,
        );
      });
      frozen.child.kill("SIGCONT");
      await waitFor(
        "the resumed worker to give the run up",
        () => Promise.resolve(/another worker owns it now, stopping/.test(frozen.output())),
        60_000,
      );
      const run = await db().modelRun.findUniqueOrThrow({ where: { id: runId } });
      assert.equal(run.status, JobStatus.RUNNING);
      assert.equal(run.workerId, retaken.workerId, "the run stays with its new owner");
      const events = await requeueEvents(runId);
      assert.equal(events.length, 1, JSON.stringify(events));
      for (const w of [frozen, survivor]) w.child.kill("SIGTERM");
      assert.equal(await frozen.exited, 0, frozen.output());
      assert.equal(await survivor.exited, 0, survivor.output());
    } finally {
      // Later tests start fresh workers, which must find no run of this one to resume.
      await cancelLeftoverRuns(jobIds);
      await boss.stop({ graceful: false, timeout: 1000 });
    }
  },
);
