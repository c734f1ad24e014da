// Network calls of the survey page. Answers are retried on network errors and 5xx: the server
// stores one answer per (case, reader), so a retry can never create a second one.
// The invitation link works once, so "open it again" cannot help; these two ways always can.
export const SESSION_ENDED =
  "Your session has ended; your answers and drafts are saved. To continue, open the re-entry link from your study " +
  "coordinator (ask them for one), or get a sign-in link by email at /signin/reader.";

export type PostResult = { ok: true; body: unknown } | { ok: false; error: string; status: number };

export async function postJson(
  url: string,
  body: unknown,
  method: "POST" | "PUT" = "POST",
  tries = 4,
): Promise<PostResult> {
  let lastError = "The server could not be reached. Check your connection; your draft is kept.";
  for (let attempt = 0; attempt < tries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 400 * 2 ** (attempt - 1)));
    try {
      const res = await fetch(url, {
        method,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (res.ok) return { ok: true, body: json };
      if (res.status < 500) {
        const error = res.status === 401 ? SESSION_ENDED : (json.error ?? `Request refused (${res.status}).`);
        return { ok: false, error, status: res.status };
      }
      lastError = json.error ?? `Server error (${res.status}); retrying.`;
    } catch {
      /* network error: retry */
    }
  }
  return { ok: false, error: lastError, status: 0 };
}

export function sendDraftBeacon(url: string, body: unknown): void {
  const blob = new Blob([JSON.stringify(body)], { type: "application/json" });
  if (!navigator.sendBeacon?.(url, blob)) {
    void fetch(url, {
      method: "POST",
      body: blob,
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
    }).catch(() => undefined);
  }
}
