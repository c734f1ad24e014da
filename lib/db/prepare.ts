// What every entry point (app, worker, demo, CLI) does first: find the database, make sure it
// answers, apply migrations. DATABASE_URL wins; otherwise the embedded server is started.
import { startEmbeddedPostgres, type EmbeddedHandle } from "./embedded-postgres";
import { assertDatabaseReachable } from "./reachability";
import { migrateDeploy } from "./migrate";
import { ensureLocalSecret } from "../config/local-secret";
import { logger } from "../logging/logger";

export interface PreparedDatabase {
  url: string;
  embedded: EmbeddedHandle | null;
}

export async function prepareDatabase(
  opts: { migrate?: boolean; log?: (m: string) => void } = {},
): Promise<PreparedDatabase> {
  const log = opts.log ?? ((m: string) => logger.child({ name: "db" }).info(m));
  let embedded: EmbeddedHandle | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ log });
    url = embedded.url;
    process.env.DATABASE_URL = url;
  }
  await assertDatabaseReachable(url);
  if (opts.migrate !== false) await migrateDeploy(url, { quiet: true });
  process.env.NEXTAUTH_SECRET = ensureLocalSecret();
  return { url, embedded };
}
