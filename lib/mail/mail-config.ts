// Outgoing mail settings. Mail is optional (no mail server is assumed): without FOCUS_SMTP_URL the
// coordinator copies invitation links by hand, and nothing here ever opens a connection.
// Read separately from lib/config/env.ts so a bad mail setting disables mail with a clear reason instead of
// stopping the whole app at start-up.
import { z } from "zod";
import { DomainError, isDomainError } from "../errors/domain-error";

const SMTP_URL_HINT = "FOCUS_SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465";

const smtpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    smtpConnectionOptions(value); // throws on malformed percent-escapes in the credentials
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}, SMTP_URL_HINT);

// Either a bare address or `Display Name <address>`; nodemailer accepts both.
const mailFrom = z
  .string()
  .regex(
    /^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/,
    "FOCUS_MAIL_FROM must be an address such as Focus <focus@example.org>",
  );

// Empty strings count as unset: `FOCUS_SMTP_URL=` in an env file should mean "no mail", not "invalid".
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const mailEnvSchema = z.object({
  FOCUS_SMTP_URL: z.preprocess(blankToUndefined, smtpUrl.optional()),
  FOCUS_MAIL_FROM: z.preprocess(blankToUndefined, mailFrom.optional()),
  NEXTAUTH_URL: z.string().optional(),
});

export interface MailConfig {
  /** The connection URL as given; see smtpConnectionOptions for the query parameters it may carry. */
  smtpUrl: string;
  from: string;
}

/** Malformed mail settings (a set but unusable variable). */
export function isMailConfigError(e: unknown): e is DomainError {
  return isDomainError(e, "invalid") && e.code === "mail-config";
}

/**
 * Returns the mail settings, or null when mail is off (FOCUS_SMTP_URL unset or blank).
 * Throws DomainError("invalid", code "mail-config") when a variable is set but malformed; the message never repeats the URL, which
 * may hold a password.
 */
export function mailConfig(source: Record<string, string | undefined> = process.env): MailConfig | null {
  const parsed = mailEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new DomainError("invalid", parsed.error.issues.map((i) => i.message).join("; "), { code: "mail-config" });
  }
  const { FOCUS_SMTP_URL, FOCUS_MAIL_FROM, NEXTAUTH_URL } = parsed.data;
  if (!FOCUS_SMTP_URL) return null;
  return { smtpUrl: FOCUS_SMTP_URL, from: FOCUS_MAIL_FROM ?? defaultSender(FOCUS_SMTP_URL, NEXTAUTH_URL) };
}

/** The site's own domain when known (mail servers often refuse senders from foreign domains), else the SMTP host's. */
export function defaultSender(smtpUrl: string, siteUrl?: string): string {
  let host = new URL(smtpUrl).hostname;
  try {
    if (siteUrl) host = new URL(siteUrl).hostname;
  } catch {
    // A malformed NEXTAUTH_URL is reported by lib/config/env.ts; fall back to the SMTP host here.
  }
  return `Focus <focus@${host}>`;
}

export interface SmtpConnectionOptions {
  host: string;
  port?: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  requireTLS?: boolean;
  ignoreTLS?: boolean;
  tls?: Record<string, string | number | boolean>;
}

function queryValue(v: string): string | number | boolean {
  if (v === "true") return true;
  if (v === "false") return false;
  return v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
}

/**
 * Splits FOCUS_SMTP_URL into nodemailer's connection options. Done here rather than by passing `url` to
 * nodemailer so that a malformed URL is refused when the settings are read, not at the first send. Query parameters
 * `requireTLS`, `ignoreTLS` and `tls.*` (e.g. `?tls.rejectUnauthorized=false` for a self-signed internal
 * server) are passed through as nodemailer's own URL parser would.
 */
export function smtpConnectionOptions(smtpUrl: string): SmtpConnectionOptions {
  const url = new URL(smtpUrl);
  const options: SmtpConnectionOptions = {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    secure: url.protocol === "smtps:",
  };
  if (url.port) options.port = Number(url.port);
  if (url.username) options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  for (const [key, raw] of url.searchParams) {
    const value = queryValue(raw);
    if (key.startsWith("tls.") && key.length > 4) (options.tls ??= {})[key.slice(4)] = value;
    else if ((key === "requireTLS" || key === "ignoreTLS") && typeof value === "boolean") options[key] = value;
  }
  return options;
}
