// The one logger of the server side (app, workers, CLI diagnostics): pino, with levels. In production
// (NODE_ENV=production, as `next start` sets) it writes one JSON object per line to stdout, for a log
// collector; elsewhere one plain line per event, warnings and errors to stderr. FOCUS_LOG_LEVEL picks the
// lowest level written (default info). Output a CLI prints for its user is not logging and stays on stdout.
import { pino, type Logger } from "pino";
import { z } from "zod";
import { envVar } from "../config/env";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// Read here, not through lib/config's env(): logging must work before (and without) the app's configuration.
const levelSchema = z.enum(LOG_LEVELS, { message: `FOCUS_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` });

export interface LoggerOptions {
  level?: string;
  json?: boolean;
  /** Where lines go; stdout (and stderr for warn and above, when plain) by default. */
  write?: (line: string, level: number) => void;
}

const LABELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** `12:00:01 warn [db] connection lost {"code":"…"}`: for people reading a terminal. */
export function plainLine(json: string): string {
  const {
    level,
    time,
    msg,
    name,
    err,
    pid: _pid,
    hostname: _hostname,
    ...rest
  } = JSON.parse(json) as Record<string, unknown> & { msg?: string; name?: string };
  const clock = new Date(typeof time === "number" ? time : Date.now()).toISOString().slice(11, 19);
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
  const error = err && typeof err === "object" ? `\n${(err as { stack?: string }).stack ?? JSON.stringify(err)}` : "";
  return `${clock} ${LABELS[level as number] ?? level}${name ? ` [${name}]` : ""} ${msg ?? ""}${extra}${error}\n`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = levelSchema.parse(options.level ?? "info");
  const json = options.json ?? false;
  const write =
    options.write ?? ((line: string, n: number) => (n >= 40 && !json ? process.stderr : process.stdout).write(line));
  return pino(
    { level, base: json ? { pid: process.pid } : undefined },
    {
      write(line: string) {
        const n = (JSON.parse(line) as { level: number }).level;
        write(json ? line : plainLine(line), n);
      },
    },
  );
}

export const logger: Logger = createLogger({
  level: envVar("FOCUS_LOG_LEVEL"),
  json: envVar("NODE_ENV") === "production",
});

/**
 * Lets one event through per key and interval, and tells the next one how many were dropped meanwhile: for
 * events a client can cause at will (a garbage cookie on every request) that must not flood the log.
 */
export function throttle(intervalMs: number, now: () => number = Date.now) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key: string, emit: (suppressed: number) => void): void => {
    const seen = last.get(key);
    const t = now();
    if (seen && t - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    last.set(key, { at: t, suppressed: 0 });
    emit(seen?.suppressed ?? 0);
  };
}
