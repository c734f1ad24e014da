// One simulated reader working through a study as the survey page does: open the case page, fetch
// its original and heat-map images, autosave drafts while "thinking", submit, go to the next case.
// Writes are retried on network errors and 5xx like app/surveys/[studyId]/case/[n]/survey-client.ts.
import type { CookieJar, TimedResponse } from "./http-client";
import { request } from "./http-client";
import type { LatencyRecorder } from "./latency-stats";

export interface ReaderFlowOptions {
  base: string;
  studyId: string;
  cases: number;
  jar: CookieJar;
  recorder: LatencyRecorder;
  /** Mean pause between a reader's actions; each pause is drawn uniformly from 0.5x to 1.5x. */
  thinkMs: number;
  draftsPerCase: number;
  /** Attempts per request (the survey client makes 4). */
  tries?: number;
  backoffMs?: number;
  random?: () => number;
  /** Called with every answer the server acknowledged. */
  onSubmitted?: (caseNumber: number, slot: string, rationale: string) => void;
}

// The original and the slots' pictures, and the slots' raw maps where the case has them (".../cam").
const BLIND_URL = /\/api\/blind\/([A-Za-z0-9_-]{20,64})(?:\/cam)?/g;
const SLOT_LETTERS = /Heat-map of Model ([A-F])/g;

/** What a browser fetches: the original, and per slot its raw map where there is one, else its picture. */
export function blindUrlsOf(html: string): string[] {
  const urls = new Set([...html.matchAll(BLIND_URL)].map((m) => m[0]));
  return [...urls].filter((u) => u.endsWith("/cam") || !urls.has(`${u}/cam`));
}

export function slotLettersOf(html: string): string[] {
  return [...new Set([...html.matchAll(SLOT_LETTERS)].map((m) => m[1]))].sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends with retries on network errors and 5xx; records each attempt's latency under `endpoint`. */
export async function sendWithRetry(
  opts: Pick<ReaderFlowOptions, "base" | "jar" | "recorder" | "tries" | "backoffMs">,
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<TimedResponse | null> {
  const tries = opts.tries ?? 4;
  let last = "";
  for (let attempt = 0; attempt < tries; attempt++) {
    if (attempt > 0) {
      opts.recorder.retry(endpoint);
      await sleep((opts.backoffMs ?? 400) * 2 ** (attempt - 1));
    }
    try {
      const res = await request(opts.base, method, path, {
        jar: opts.jar,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      if (res.status < 500) {
        opts.recorder.record(endpoint, res.ms);
        if (res.status >= 400) opts.recorder.error(endpoint, `${res.status} ${res.body.toString().slice(0, 120)}`);
        return res;
      }
      last = `${res.status} ${res.body.toString().slice(0, 120)}`;
    } catch (e) {
      last = (e as Error).message;
    }
  }
  opts.recorder.error(endpoint, `gave up after ${tries} tries: ${last}`);
  return null;
}

export async function runReader(o: ReaderFlowOptions): Promise<{ submitted: number }> {
  const random = o.random ?? Math.random;
  const think = () => sleep(o.thinkMs * (0.5 + random()));
  let submitted = 0;
  for (let n = 1; n <= o.cases; n++) {
    const page = await sendWithRetry(o, "GET case page", "GET", `/surveys/${o.studyId}/case/${n}`);
    if (!page || page.status !== 200) continue;
    const html = page.body.toString();
    const images = blindUrlsOf(html);
    const letters = slotLettersOf(html);
    if (images.length === 0 || letters.length === 0) {
      o.recorder.error("GET case page", `case ${n}: no images or slots in the page`);
      continue;
    }
    // A browser fetches the page's images in parallel.
    await Promise.all(
      images.map(async (url) => {
        const img = await sendWithRetry(o, "GET blind image", "GET", url);
        const type = String(img?.headers["content-type"] ?? "");
        if (img && img.status === 200 && !["image/png", "image/jpeg", "application/octet-stream"].includes(type))
          o.recorder.error("GET blind image", `unexpected type ${type}`);
      }),
    );
    const slot = letters[Math.floor(random() * letters.length)];
    const rationale = `Load-test reader rationale for case ${n}: focus on the lesion border.`;
    for (let d = 1; d <= o.draftsPerCase; d++) {
      await think();
      const partial = rationale.slice(0, Math.ceil((rationale.length * d) / (o.draftsPerCase + 1)));
      await sendWithRetry(o, "PUT draft (autosave)", "PUT", `/api/surveys/${o.studyId}/cases/${n}/draft`, {
        slot,
        rationale: partial,
      });
    }
    await think();
    const res = await sendWithRetry(o, "POST answer (submit)", "POST", `/api/surveys/${o.studyId}/cases/${n}/answer`, {
      slot,
      rationale,
      clientTimeMs: Math.round(o.thinkMs * (o.draftsPerCase + 1)),
    });
    if (res?.status === 200) {
      submitted++;
      o.onSubmitted?.(n, slot, rationale);
    }
  }
  return { submitted };
}
