// What a researcher sees after a worker died holding a run: the run says "worker lost, requeued at …" and the
// dead worker is listed offline. The requeue itself is tested with real killed workers in
// lib/jobs/worker-liveness.test.ts; here the rows it leaves behind are written directly.
import { randomBytes } from "node:crypto";
import { test, expect } from "@playwright/test";
import { db } from "../lib/db/client";
import { createSyntheticDataset } from "../lib/datasets/synthetic-dataset";
import { staffUser } from "./support/seed";
import { signIn } from "./support/sign-in";

test("a run requeued from a dead worker says so, and the worker shows offline", async ({ page }) => {
  const tag = randomBytes(4).toString("hex");
  const dataset = await createSyntheticDataset({ name: `lost-${tag}`, count: 8, size: 32, seed: 2 });
  const deadWorker = `gone-${tag}:4242`;
  const lostAt = new Date("2026-11-30T10:11:12Z");
  await db().workerHeartbeat.create({
    data: {
      id: deadWorker,
      hostname: `gone-${tag}`,
      backend: "wasm",
      pid: 4242,
      startedAt: new Date(Date.now() - 3_600_000),
      seenAt: new Date(Date.now() - 5 * 60_000),
    },
  });
  const job = await db().trainingJob.create({
    data: {
      datasetId: dataset.id,
      variants: ["BASELINE"],
      seeds: [1],
      params: { epochs: 3, inputSize: 32, width: 0.25, batchSize: 4 },
      runs: {
        create: {
          variant: "BASELINE",
          seed: 1,
          params: { epochs: 3, inputSize: 32, width: 0.25, batchSize: 4 },
          epochs: 3,
          status: "QUEUED",
          lostWorkerId: deadWorker,
          workerLostAt: lostAt,
        },
      },
    },
    include: { runs: true },
  });
  const researcher = await staffUser("RESEARCHER");
  await signIn(page, researcher.email, researcher.password);
  await page.goto("/researcher/jobs");
  const row = page.getByTestId(`queue-run-${job.runs[0].id}`);
  await expect(row.getByTestId("run-worker-lost")).toHaveText(
    `worker lost, requeued at 10:11:12 UTC (was on ${deadWorker})`,
  );
  await expect(page.getByTestId(`worker-${deadWorker}`)).toHaveAttribute("data-online", "false");
  await expect(page.getByTestId(`worker-${deadWorker}`)).toContainText("offline");
  // Nothing may train it: the test leaves no runnable work for other specs' workers.
  await db().modelRun.update({ where: { id: job.runs[0].id }, data: { status: "CANCELLED", cancelRequested: true } });
});
