// The study report as PDF, printed by a local Chromium through playwright-core. Nothing is downloaded: without a
// Chromium on the machine there is no PDF, and the report page says so (the HTML still prints from the browser).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { envVar } from "../config/env";
import { DomainError } from "../errors/domain-error";

const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** The Chromium to print with, or null when none is configured or installed. */
export function chromiumPath(source: Record<string, string | undefined> = process.env): string | null {
  const configured = envVar("FOCUS_CHROMIUM_PATH", source);
  if (configured) return existsSync(configured) ? configured : null;
  return existsSync(DEFAULT_CHROMIUM) ? DEFAULT_CHROMIUM : null;
}

/** Prints a self-contained HTML document to an A4 PDF. */
export async function htmlToPdf(html: string, executablePath = chromiumPath()): Promise<Buffer> {
  if (!executablePath) {
    throw new DomainError(
      "unavailable",
      "No Chromium to print the PDF with: set FOCUS_CHROMIUM_PATH, or print the HTML.",
    );
  }
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    // The report is self-contained; it must not reach the network while printing.
    await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" },
    });
  } finally {
    await browser.close();
  }
}
