// `npm run demo`: embedded database, demo accounts, the web app on :3000, two CPU workers, and the
// demo data (synthetic set, four trained variants, heat-maps, an open study) built through them.
import { spawn } from "node:child_process";
import { envVar } from "../lib/config/env";
import { prepareDatabase } from "../lib/db/prepare";
import { DEMO_PASSWORD_FILE, seedDemoAccounts, signInLines } from "../lib/demo/seed-accounts";
import { buildDemoData } from "../lib/demo/demo-pipeline";
import { buildIfNeeded, startNext, stopTogether, waitForHttp } from "../harness/next-process";
import { reportFatal } from "./report-fatal";

const port = envVar("PORT");
const base = `http://localhost:${port}`;
const newReaderLink = process.argv.includes("--new-reader-link");

try {
  console.log("Focus demo: preparing the database…");
  const { embedded } = await prepareDatabase();
  const accounts = await seedDemoAccounts();
  buildIfNeeded(envVar("FOCUS_DEMO_REBUILD") === "1");
  const app = startNext("start", port, { NEXTAUTH_URL: base });
  // One worker process per core: WASM TensorFlow.js is single-threaded.
  const workers = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, FOCUS_WORKER_CONCURRENCY: process.env.FOCUS_WORKER_CONCURRENCY ?? "2" },
  });
  stopTogether(app, async () => {
    workers.kill("SIGTERM");
    await new Promise((r) => workers.once("exit", r));
    await embedded?.stop();
  });
  await waitForHttp(`${base}/api/health`);
  console.log(`\nFocus is running at ${base}\n\nDemo sign-in (${base}/signin):`);
  for (const line of signInLines(accounts, DEMO_PASSWORD_FILE)) console.log(line);
  console.log("\nPreparing the demo study (the app is usable meanwhile)…");
  process.env.NEXTAUTH_URL = base;
  const { readerLink } = await buildDemoData({ newReaderLink });
  console.log(
    readerLink
      ? `\nThe demo study is open. Take the survey as a dermatologist (single-use link, shown once):\n  ${readerLink}`
      : "\nThe demo study is open. Its reader link was shown when it was issued and is single-use; for a new one, " +
          "restart with `npm run demo -- --new-reader-link`, or sign in as the coordinator and re-issue the " +
          "invitation of reader@focus.demo on the study's page.",
  );
  console.log(
    `Then sign in as the coordinator to see its statistics.\n\nPress Ctrl-C to stop (the database stops with it; data stays in ./data).`,
  );
} catch (e) {
  reportFatal(e);
}
