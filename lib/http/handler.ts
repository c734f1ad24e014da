// Route handlers stay thin: they wrap their body in `handle`, which turns validation and
// authorisation failures into JSON 4xx answers and never leaks a stack trace.
import { NextResponse } from "next/server";
import { ZodError, type ZodType } from "zod";
import { DomainError } from "../errors/domain-error";
import { fromZodError, parseInput } from "../errors/field-errors";
import { STATUS_OF_KIND } from "./error-status";
import { readBodyText } from "./body";
import { BODY_LIMITS, type BodyLimitName } from "./body-limits";
import { logger } from "../logging/logger";

export function jsonError(status: number, message: string, details?: unknown): NextResponse {
  return NextResponse.json(
    { error: message, ...(details === undefined ? {} : { details }) },
    { status, headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (thrown) {
    // A schema parsed without parseInput still answers 400 naming the field, never 500.
    const e = thrown instanceof ZodError ? fromZodError(thrown) : thrown;
    if (e instanceof DomainError) {
      const details = e.fields.length > 0 ? e.fields : e.details;
      return jsonError(STATUS_OF_KIND[e.kind], e.message, details);
    }
    if (isDatabaseUnavailable(e)) {
      // A restart or failover: the transaction was rolled back, so the client may simply retry.
      const reason = (e as Error).message.split("\n").at(-1);
      logger.warn({ name: "db", reason }, "request failed while the database was unavailable");
      const res = jsonError(503, "The database is restarting; nothing was saved. Try again in a moment.");
      res.headers.set("Retry-After", "1");
      return res;
    }
    logger.error({ err: e }, "route handler failed");
    return jsonError(500, "Something went wrong on the server; nothing was saved.");
  }
}

// Postgres "admin shutdown", "cannot connect now", "crash shutdown" and lost or refused connections.
const UNAVAILABLE =
  /\b(57P01|57P02|57P03)\b|terminating connection|the database system is (shutting down|starting up)|ECONNREFUSED|Connection terminated|DatabaseNotReachable/;

function isDatabaseUnavailable(e: unknown): boolean {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any cause is only searched as text
  return e instanceof Error && UNAVAILABLE.test(`${e.message} ${String((e as { cause?: unknown }).cause ?? "")}`);
}

/** Parses a JSON request body with a zod schema; bad JSON or a bad field is a 400 naming the field. */
export async function parseJson<T>(req: Request, schema: ZodType<T>, limit: BodyLimitName): Promise<T> {
  // CSRF: an HTML form on another site can POST only urlencoded, multipart or text/plain bodies (and
  // text/plain can carry JSON), so JSON routes accept application/json alone, which a cross-site page
  // cannot send without a CORS preflight that this app never grants.
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new DomainError("unsupported", "Send the request body as application/json.");
  const text = await readBodyText(req, BODY_LIMITS[limit]);
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    throw DomainError.invalid("Request body is not valid JSON.");
  }
  return parseInput(schema, body);
}
