// `npm run demo`: embedded database, migrations, demo accounts, then the web app on :3000.
import { prepareDatabase } from "../lib/db/prepare";
import { seedDemoAccounts } from "../lib/demo/seed-accounts";
import { buildIfNeeded, startNext, stopTogether, waitForHttp } from "./next-process";
import { reportFatal } from "./report-fatal";

const port = Number(process.env.PORT ?? 3000);
const base = `http://localhost:${port}`;

try {
  console.log("Focus demo: preparing the database…");
  const { embedded } = await prepareDatabase();
  const accounts = await seedDemoAccounts();
  buildIfNeeded(process.env.FOCUS_DEMO_REBUILD === "1");
  const child = startNext("start", port);
  stopTogether(child, async () => embedded?.stop());
  await waitForHttp(`${base}/api/health`);
  console.log(`\nFocus is running at ${base}\n\nDemo sign-in (${base}/signin):`);
  for (const a of accounts) console.log(`  ${a.role.padEnd(12)} ${a.email.padEnd(26)} password: ${a.password}`);
  console.log("\nPress Ctrl-C to stop (the database stops with it; data stays in ./data).");
} catch (e) {
  reportFatal(e);
}
