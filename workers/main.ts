// `npm run worker`: trains models and renders heat-maps from the pg-boss queues (logic in lib/jobs).
// FOCUS_WORKER_CONCURRENCY=N runs N single-job worker processes: WASM TensorFlow.js is single-threaded,
// so one process per core is how a CPU machine uses its cores (see lib/jobs/worker-main.ts).
import { runWorkerMain } from "@/lib/jobs/worker-main";

runWorkerMain().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`worker failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
