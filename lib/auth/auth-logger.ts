// next-auth's log events through the app's logger. A session cookie that does not decode (garbage, a
// truncated value, one signed with an old secret) is the client's doing and can come with every request:
// next-auth would print its JWE error with a stack each time, so it becomes one warning line per minute
// that counts the ones it left out. The request itself is simply treated as signed out.
import type { LoggerInstance } from "next-auth";
import { logger as appLogger, throttle, type Logger } from "../logging/logger";

export const UNDECODABLE_COOKIE_MESSAGE = "a session cookie could not be decoded; the request is treated as signed out";

// Next bundles the auth options once per route and page, so the server's throttle lives on globalThis.
const processWide = globalThis as unknown as { focusAuthLogThrottle?: ReturnType<typeof throttle> };

export function authLogger(
  log: Logger = appLogger.child({ name: "auth" }),
  options?: { intervalMs: number; now: () => number },
): LoggerInstance {
  const once = options
    ? throttle(options.intervalMs, options.now)
    : (processWide.focusAuthLogThrottle ??= throttle(60_000));
  return {
    error(code, metadata) {
      if (code === "JWT_SESSION_ERROR") {
        once(code, (suppressed) => log.warn({ code, suppressed }, UNDECODABLE_COOKIE_MESSAGE));
        return;
      }
      const err = metadata instanceof Error ? metadata : metadata.error;
      log.error({ code, err }, `next-auth ${code}`);
    },
    warn(code) {
      log.warn({ code }, `next-auth ${code}`);
    },
    debug(code, metadata) {
      log.debug({ code, metadata }, `next-auth ${code}`);
    },
  };
}
