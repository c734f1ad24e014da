// Emails an invitation link to a reader when SMTP is configured. The link is always shown to the
// coordinator as well, so this never throws: a failed send comes back as one sentence for the UI.
// Blinding: the message names only the study and the link, never a model, variant or arm. No tracking:
// no images, no remote resources, no rewritten links.
import nodemailer from "nodemailer";
import { isMailConfigError, mailConfig, smtpConnectionOptions, type MailConfig } from "./mail-config";
import { composeMessage, formatExpiry, type ComposedMessage } from "./compose-message";

export interface InvitationEmail {
  to: string;
  readerName: string;
  studyTitle: string;
  link: string;
  expiresAt: Date;
}

export interface SendResult {
  sent: boolean;
  /** Present when sending was attempted (or the settings are malformed) and failed; one sentence. */
  error?: string;
}

export interface SendOptions {
  /** Where the mail settings come from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Upper bound for connecting, the greeting and each socket wait. A server action waits this long at worst. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Subject and bodies of the invitation. Pure, so the wording can be checked without a mail server. */
export function composeInvitation(mail: Omit<InvitationEmail, "to">): ComposedMessage {
  const title = mail.studyTitle.trim();
  return composeMessage({
    subject: `Invitation to the reader study "${title}"`,
    paragraphs: [
      [`Dear ${mail.readerName.trim()},`],
      [`You are invited to take part in the reader study "${title}".`],
      ["Open this personal link to start:", { link: mail.link }],
      [
        `The link works for you only and expires on ${formatExpiry(mail.expiresAt)}. Please do not forward it.`,
        "If you did not expect this invitation, you can ignore this email.",
      ],
      ["Focus"],
    ],
  });
}

/** Turns a nodemailer (or settings) error into one sentence for the coordinator; never echoes the SMTP URL. */
export function describeSendError(e: unknown): string {
  if (isMailConfigError(e)) return `The mail settings are invalid: ${e.message}.`;
  const err = e as { code?: string; message?: string; responseCode?: number };
  const detail = firstLine(err?.message ?? String(e));
  switch (err?.code) {
    case "ETIMEDOUT":
      return "The mail server did not answer in time.";
    case "EDNS":
      return "The mail server's host name could not be resolved.";
    case "ECONNECTION":
    case "ESOCKET":
      return /ECONNREFUSED/.test(detail)
        ? "The mail server refused the connection."
        : `The connection to the mail server failed (${detail}).`;
    case "ETLS":
      return `The secure connection to the mail server failed (${detail}).`;
    case "EAUTH":
      return `The mail server did not accept the login (${detail}).`;
    case "EENVELOPE":
      return `The mail server refused the sender or recipient address (${detail}).`;
    default:
      return `Sending failed (${detail}).`;
  }
}

function firstLine(s: string): string {
  const line = s
    .split(/\r?\n/)[0]
    .trim()
    .replace(/[.\s]+$/, "");
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export async function sendInvitationEmail(mail: InvitationEmail, options: SendOptions = {}): Promise<SendResult> {
  return sendComposedEmail({ name: mail.readerName, address: mail.to }, () => composeInvitation(mail), options);
}

/** Sends one message built by `compose`; never throws (a failure comes back as one sentence). */
export async function sendComposedEmail(
  to: { name: string; address: string },
  compose: () => ComposedMessage,
  options: SendOptions = {},
): Promise<SendResult> {
  let config: MailConfig | null;
  try {
    config = mailConfig(options.env ?? process.env);
  } catch (e) {
    return { sent: false, error: describeSendError(e) };
  }
  if (!config) return { sent: false };

  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One connection per message: these mails are rare, and a pool would hold sockets open in the web app.
  const transport = nodemailer.createTransport({
    ...smtpConnectionOptions(config.smtpUrl),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Message content comes from our own strings only; refuse to read files or fetch URLs into it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const { subject, text, html } = compose();
    await transport.sendMail({
      from: config.from,
      to,
      subject,
      text,
      html,
      // RFC 3834: marks the message as automatic so auto-responders do not reply to it.
      headers: { "Auto-Submitted": "auto-generated" },
    });
    return { sent: true };
  } catch (e) {
    return { sent: false, error: describeSendError(e) };
  } finally {
    transport.close();
  }
}
