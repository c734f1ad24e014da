import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  user?: string;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>`, for FOCUS_SMTP_URL. */
  url: string;
  /** Every message received, oldest first. */
  messages: CapturedMail[];
  close(): Promise<void>;
}

/**
 * A local SMTP server (smtp-server on a random localhost port) that keeps every message, for the mail tests.
 * Plain SMTP only: its STARTTLS would offer a self-signed certificate. With `users`, it requires AUTH with one of
 * those username/password pairs.
 */
export async function startSmtpSink(opts: { users?: Record<string, string> } = {}): Promise<SmtpSink> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: !opts.users,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = opts.users && opts.users[auth.username ?? ""] === auth.password;
      if (!ok) return callback(new Error("Invalid username or password"));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
