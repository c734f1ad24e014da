// Turns "cannot connect" into one sentence a user can act on, instead of a driver stack trace.
import pg from "pg";
import { DomainError } from "../errors/domain-error";

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const reason =
      err.code === "ECONNREFUSED"
        ? "nothing is listening there"
        : err.code === "3D000"
          ? "that database does not exist"
          : err.code === "28P01" || err.code === "28000"
            ? "the user name or password was rejected"
            : (err.message ?? String(e));
    throw new DomainError(
      "unavailable",
      `Cannot reach PostgreSQL at ${describe(url)}: ${reason}. ` +
        `Check DATABASE_URL, or unset it to use the embedded database in ./data/pg.`,
      { code: "database-unreachable" },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
