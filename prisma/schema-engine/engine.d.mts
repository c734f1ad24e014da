// Types for the helpers engine.mjs exports (it is plain JavaScript so that it runs as an executable).
import type { PoolConfig } from "pg";

export interface PgConnection {
  /** Discrete pg settings (host, port, user, password, database, ssl, ...), never a connectionString. */
  config: PoolConfig & { database: string };
  /** The `?schema=` of a Prisma URL, "public" when absent. */
  schema: string;
}

export function connectionFromUrl(url: string): PgConnection;
export function knownErrorFromPg(error: unknown, config: PoolConfig): Error & { code?: string };
export function canConnect(url: string): Promise<void>;
export function createDatabase(url: string): Promise<string>;
export function dropDatabase(url: string): Promise<string>;
