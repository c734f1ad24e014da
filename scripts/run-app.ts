// `npm start` / `npm run dev`: prepare the database (DATABASE_URL or embedded), migrate, serve.
import { prepareDatabase } from "../lib/db/prepare";
import { envVar } from "../lib/config/env";
import { buildIfNeeded, startNext, stopTogether } from "../harness/next-process";
import { reportFatal } from "./report-fatal";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = envVar("PORT");

try {
  const { embedded } = await prepareDatabase();
  if (mode === "start") buildIfNeeded();
  const child = startNext(mode, port);
  stopTogether(child, async () => embedded?.stop());
} catch (e) {
  reportFatal(e);
}
