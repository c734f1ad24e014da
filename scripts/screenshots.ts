// `npm run screenshots`: regenerates docs/screenshots against a throwaway test database, through the same
// production build and server as the browser tests.
import { runE2eTests } from "./test-e2e";
import { createTestDatabase } from "../harness/test-database";

const tdb = await createTestDatabase();
let code: number;
try {
  code = await runE2eTests(tdb.url, process.argv.slice(2), "scripts/screenshots/playwright.config.ts");
} finally {
  await tdb.drop();
}
process.exit(code);
