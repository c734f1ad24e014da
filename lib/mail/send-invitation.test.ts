// Sends invitations through a real SMTP server (smtp-server on a random localhost port) and checks what
// arrives, what comes back when mail is off, and how fast an unreachable server is reported.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { startSmtpSink, type SmtpSink } from "../testing/smtp-sink";
import { sendInvitationEmail, composeInvitation, describeSendError, type InvitationEmail } from "./send-invitation";
import { isMailConfigError, mailConfig, smtpConnectionOptions } from "./mail-config";
import { forbiddenTermsForStudy, findStudyLeaks } from "../blinding/leak-scan";

/** A port with nothing listening on it (bound, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// --- a minimal MIME reader, enough for the message nodemailer builds (headers, one multipart level) ---

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, " "); // unfold continued header lines
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

/** RFC 2047 encoded words (nodemailer encodes subjects with quotes or long runs this way). */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?") // whitespace between adjacent encoded words is not part of the text
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === "B" ? decodeBody(data, "base64") : decodeBody(data.replace(/_/g, " "), "quoted-printable"),
    );
}

function decodeBody(body: string, encoding = "7bit"): string {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable": {
      const bytes = body
        .replace(/=\r\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    default:
      return body;
  }
}

/** Decoded text parts by content type (text/plain, text/html). */
function bodyParts(raw: string): Map<string, string> {
  const { headers, body } = splitHead(raw);
  const parts = new Map<string, string>();
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const chunks = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of chunks) {
    const part = boundary ? splitHead(chunk.replace(/^\r\n/, "")) : { headers, body };
    const partType = (part.headers.get("content-type") ?? "text/plain").split(";")[0].trim().toLowerCase();
    parts.set(partType, decodeBody(part.body, part.headers.get("content-transfer-encoding")));
  }
  return parts;
}

// --- the tests ---

const LINK = "http://focus.test/invite/Zq7HkP2wXr9TbN4mVd8JcY1sLf6AeU3o";
const invitation: InvitationEmail = {
  to: "dr.ada@hospital.test",
  readerName: "Ada Lovelace",
  studyTitle: "Melanoma localisation, spring round",
  link: LINK,
  expiresAt: new Date("2031-03-14T09:30:00Z"),
};

describe("sendInvitationEmail through a real SMTP server", () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(async () => {
    await smtp.close();
  });

  test("delivers one message to the reader, naming the study and the link and nothing that unblinds", async () => {
    const before = smtp.messages.length;
    const result = await sendInvitationEmail(invitation, {
      env: {
        FOCUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        FOCUS_MAIL_FROM: "Focus study desk <studies@hospital.test>",
      },
      timeoutMs: 5_000,
    });
    assert.deepEqual(result, { sent: true });
    assert.equal(smtp.messages.length, before + 1);

    const msg = smtp.messages.at(-1)!;
    assert.deepEqual(msg.rcptTo, ["dr.ada@hospital.test"]);
    assert.equal(msg.mailFrom, "studies@hospital.test");
    const { headers } = splitHead(msg.raw);
    assert.match(headers.get("to")!, /<dr\.ada@hospital\.test>/);
    const subject = decodeHeader(headers.get("subject")!);
    assert.equal(subject, 'Invitation to the reader study "Melanoma localisation, spring round"');
    assert.equal(headers.get("auto-submitted"), "auto-generated");
    assert.equal(headers.has("x-mailer"), false);

    const parts = bodyParts(msg.raw);
    const text = parts.get("text/plain");
    const html = parts.get("text/html");
    assert.ok(text && html, `expected a text and an HTML part, got ${[...parts.keys()].join(", ")}`);
    for (const body of [text, html]) {
      assert.ok(body.includes(LINK), "body contains the link");
      assert.ok(body.includes("Melanoma localisation, spring round"), "body names the study");
      assert.ok(body.includes("2031-03-14 09:30 UTC"), "body gives the expiry");
    }
    assert.match(text, /^Dear Ada Lovelace,/);

    // Blinding: no variant name (or its aliases) as a word anywhere in the message, headers included.
    const terms = forbiddenTermsForStudy({ variants: ["baseline", "cbam", "se", "gc"], ids: [] });
    assert.deepEqual(findStudyLeaks(`${text}\n${html}\n${subject}`, terms), []);
    assert.ok(!/\bse\b/i.test(` ${text} `) && !/ se /i.test(html));

    // No tracking: no images or remote resources, and the only link is the invitation itself.
    assert.doesNotMatch(html, /<img|<link|<script|url\(/i);
    assert.deepEqual(
      [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
      [LINK],
    );
  });

  test("escapes the study title and reader name in the HTML part", async () => {
    const result = await sendInvitationEmail(
      { ...invitation, studyTitle: "Lesions <b>& nevi</b>", readerName: "O'Brien <x>" },
      { env: { FOCUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` }, timeoutMs: 5_000 },
    );
    assert.equal(result.sent, true);
    const html = bodyParts(smtp.messages.at(-1)!.raw).get("text/html")!;
    assert.ok(html.includes("Lesions &lt;b&gt;&amp; nevi&lt;/b&gt;"));
    assert.ok(html.includes("O&#39;Brien &lt;x&gt;"));
    assert.ok(!html.includes("<b>&"));
    // Without FOCUS_MAIL_FROM the sender falls back to the SMTP host's domain.
    assert.equal(smtp.messages.at(-1)!.mailFrom, "focus@127.0.0.1");
  });

  test("with no FOCUS_SMTP_URL nothing is sent and no error is reported", async () => {
    const before = smtp.messages.length;
    for (const env of [{}, { FOCUS_SMTP_URL: "" }, { FOCUS_SMTP_URL: "   ", FOCUS_MAIL_FROM: "a@b.test" }]) {
      const result = await sendInvitationEmail(invitation, { env });
      assert.deepEqual(result, { sent: false });
    }
    assert.equal(smtp.messages.length, before);
  });
});

describe("SMTP login", () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink({ users: { "focus@hospital.test": "p@ss:w/rd" } });
  });
  after(async () => {
    await smtp.close();
  });

  test("logs in with URL-encoded credentials from FOCUS_SMTP_URL", async () => {
    const url = `smtp://${encodeURIComponent("focus@hospital.test")}:${encodeURIComponent("p@ss:w/rd")}@127.0.0.1:${smtp.port}`;
    const result = await sendInvitationEmail(invitation, { env: { FOCUS_SMTP_URL: url }, timeoutMs: 5_000 });
    assert.deepEqual(result, { sent: true });
    assert.equal(smtp.messages.at(-1)!.user, "focus@hospital.test");
  });

  test("a rejected login is one sentence that does not repeat the password", async () => {
    const before = smtp.messages.length;
    const result = await sendInvitationEmail(invitation, {
      env: { FOCUS_SMTP_URL: `smtp://focus%40hospital.test:wrong-secret@127.0.0.1:${smtp.port}` },
      timeoutMs: 5_000,
    });
    assert.equal(result.sent, false);
    assert.match(result.error!, /^The mail server did not accept the login/);
    assert.ok(!result.error!.includes("wrong-secret"));
    assert.equal(smtp.messages.length, before);
  });
});

describe("unreachable or misconfigured SMTP", () => {
  test("a closed port gives {sent:false, error} at once", async () => {
    const port = await freePort();
    const t0 = performance.now();
    const result = await sendInvitationEmail(invitation, {
      env: { FOCUS_SMTP_URL: `smtp://127.0.0.1:${port}` },
      timeoutMs: 1_000,
    });
    const ms = performance.now() - t0;
    assert.equal(result.sent, false);
    assert.equal(result.error, "The mail server refused the connection.");
    assert.ok(ms < 1_500, `took ${ms.toFixed(0)} ms`);
  });

  test("a server that accepts the connection but never greets times out after the short timeout", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s)); // accepts, then says nothing
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const t0 = performance.now();
      const result = await sendInvitationEmail(invitation, {
        env: { FOCUS_SMTP_URL: `smtp://127.0.0.1:${port}` },
        timeoutMs: 300,
      });
      const ms = performance.now() - t0;
      assert.equal(result.sent, false);
      assert.equal(result.error, "The mail server did not answer in time.");
      assert.ok(ms >= 250 && ms < 2_000, `took ${ms.toFixed(0)} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  test("a malformed FOCUS_SMTP_URL is reported without its contents and without connecting", async () => {
    const result = await sendInvitationEmail(invitation, { env: { FOCUS_SMTP_URL: "http://user:hunter2@mail.test" } });
    assert.equal(result.sent, false);
    assert.match(result.error!, /^The mail settings are invalid: FOCUS_SMTP_URL must look like smtp:\/\//);
    assert.ok(!result.error!.includes("hunter2"));
  });
});

describe("mailConfig", () => {
  test("mail is off when FOCUS_SMTP_URL is unset or blank", () => {
    assert.equal(mailConfig({}), null);
    assert.equal(mailConfig({ FOCUS_SMTP_URL: " " }), null);
  });

  test("accepts smtp:// and smtps://, takes FOCUS_MAIL_FROM or derives a sender from the site", () => {
    assert.deepEqual(
      mailConfig({ FOCUS_SMTP_URL: "smtps://u:p@mail.hospital.test:465", FOCUS_MAIL_FROM: "studies@hospital.test" }),
      {
        smtpUrl: "smtps://u:p@mail.hospital.test:465",
        from: "studies@hospital.test",
      },
    );
    assert.equal(
      mailConfig({ FOCUS_SMTP_URL: "smtp://mail.hospital.test:587", NEXTAUTH_URL: "https://focus.hospital.test/" })!
        .from,
      "Focus <focus@focus.hospital.test>",
    );
    assert.equal(
      mailConfig({ FOCUS_SMTP_URL: "smtp://mail.hospital.test:587" })!.from,
      "Focus <focus@mail.hospital.test>",
    );
  });

  test("splits the URL into connection options, decoding credentials and passing tls.* through", () => {
    assert.deepEqual(
      smtpConnectionOptions(
        "smtp://focus%40h.test:p%3Aw%2Fd@mail.h.test:587?tls.rejectUnauthorized=false&requireTLS=true&pool=true",
      ),
      {
        host: "mail.h.test",
        port: 587,
        secure: false,
        auth: { user: "focus@h.test", pass: "p:w/d" },
        requireTLS: true,
        tls: { rejectUnauthorized: false },
      },
    );
    assert.deepEqual(smtpConnectionOptions("smtps://[::1]"), { host: "::1", secure: true });
  });

  test("rejects other schemes, missing hosts and sender values that are not addresses", () => {
    for (const url of ["http://mail.test", "mail.test:587", "smtp://", "postgres://x@y/z", "smtp://u:%zz@mail.test"]) {
      assert.throws(() => mailConfig({ FOCUS_SMTP_URL: url }), isMailConfigError, url);
    }
    assert.throws(
      () => mailConfig({ FOCUS_SMTP_URL: "smtp://mail.test", FOCUS_MAIL_FROM: "Focus" }),
      /FOCUS_MAIL_FROM/,
    );
  });
});

describe("composeInvitation / describeSendError", () => {
  test("the subject names the study; the bodies carry the expiry in UTC", () => {
    const m = composeInvitation(invitation);
    assert.equal(m.subject, 'Invitation to the reader study "Melanoma localisation, spring round"');
    assert.ok(m.text.includes("expires on 2031-03-14 09:30 UTC"));
  });

  test("errors become one sentence each", () => {
    const cases: [unknown, RegExp][] = [
      [
        Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "EDNS" }),
        /^The mail server's host name could not be resolved\.$/,
      ],
      [
        Object.assign(new Error("Can't send mail - all recipients were rejected: 550 no such user"), {
          code: "EENVELOPE",
        }),
        /^The mail server refused the sender or recipient address \(.*550 no such user\)\.$/,
      ],
      [new Error("something odd\nwith a stack-like second line"), /^Sending failed \(something odd\)\.$/],
    ];
    for (const [err, expected] of cases) {
      const sentence = describeSendError(err);
      assert.match(sentence, expected);
      assert.equal(sentence.split(/\.\s/).length, 1, sentence);
    }
  });
});
