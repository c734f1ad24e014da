// One way to write a Focus email: paragraphs of lines, where a line is text or a link. The plain-text and the
// HTML part are rendered from the same paragraphs, so they never say different things, and every piece of text
// is escaped once, here. No images, styles from elsewhere or tracking: the only remote thing is the link itself.

export type MessageLine = string | { link: string };

export interface MessageSpec {
  subject: string;
  /** Paragraphs in order; the lines of one paragraph are separated by line breaks. */
  paragraphs: MessageLine[][];
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Fixed, locale-free form so the same message reads the same on every server. */
export function formatExpiry(expiresAt: Date): string {
  return `${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function composeMessage(spec: MessageSpec): ComposedMessage {
  const text = spec.paragraphs
    .map((p) => p.map((line) => (typeof line === "string" ? line : line.link)).join("\n"))
    .join("\n\n");
  const htmlLine = (line: MessageLine) =>
    typeof line === "string" ? escapeHtml(line) : `<a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a>`;
  const html = [
    "<!doctype html>",
    '<html><body style="font-family: sans-serif; line-height: 1.4">',
    ...spec.paragraphs.map((p) => `<p>${p.map(htmlLine).join("<br>\n")}</p>`),
    "</body></html>",
  ].join("\n");
  return { subject: spec.subject, text, html };
}
