// `npm start` / `npm run dev`: prepare the database (DATABASE_URL or embedded), migrate, serve.
// `start` serves from FOCUS_WEB_PROCESSES processes (default one per core) on PORT, see harness/next-cluster.ts.
import { availableParallelism } from "node:os";
import { prepareDatabase } from "../lib/db/prepare";
import { envVar } from "../lib/config/env";
import { takeOverShutdownSignals } from "../lib/db/shutdown-signals";
import { buildIfNeeded, startNext, stopTogether } from "../harness/next-process";
import { startNextCluster } from "../harness/next-cluster";
import { reportFatal } from "./report-fatal";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = envVar("PORT");

try {
  const { embedded } = await prepareDatabase();
  if (mode === "dev") {
    stopTogether(startNext("dev", port), async () => embedded?.stop());
  } else {
    buildIfNeeded();
    const web = startNextCluster({ port, processes: envVar("FOCUS_WEB_PROCESSES") ?? availableParallelism() });
    let stopping = false;
    takeOverShutdownSignals(() => {
      if (stopping) return;
      stopping = true;
      void web
        .stop()
        .then(() => embedded?.stop())
        .catch(() => undefined)
        .then(() => process.exit(0));
    });
  }
} catch (e) {
  reportFatal(e);
}
