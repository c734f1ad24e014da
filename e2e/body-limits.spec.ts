// Oversized request bodies, sent chunked (no Content-Length, so nothing can be refused up front) to the
// running production build: every writing endpoint answers 413 after reading about its limit, writes
// nothing, and the server's memory does not grow by the bodies' size.
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { test, expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { db } from "../lib/db/client";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { staffUser } from "./support/seed";

const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3101";
const MiB = 1024 * 1024;
const BODY_BYTES = 64 * MiB;

interface Sent {
  status: number;
  text: string;
  /** How much of the body the client had written when the answer came. */
  sentBytes: number;
}

/**
 * Streams `totalBytes` of `fill` as a chunked body, stopping as soon as the server answers. A server that
 * buffers the body answers only after all 64 MiB; one that counts answers after about its limit.
 */
function chunkedRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  totalBytes = BODY_BYTES,
): Promise<Sent> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = http.request(new URL(path, baseURL), {
      method,
      headers: { ...headers, "transfer-encoding": "chunked" },
    });
    const pump = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8"), sentBytes });
        req.destroy();
      });
    });
    // After the answer the server may close the connection under our remaining writes; that is expected.
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    pump();
  });
}

async function signedIn(
  provider: "staff" | "invitation",
  credentials: Record<string, string>,
): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post(`/api/auth/callback/${provider}`, { form: { csrfToken, json: "true", ...credentials } });
  expect(res.status()).toBe(200);
  return ctx;
}

async function cookieHeader(ctx: APIRequestContext): Promise<string> {
  return (await ctx.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

const writes = async () => ({
  users: await db().user.count(),
  attempts: await db().signInThrottle.count(),
  responses: await db().response.count(),
  audit: await db().auditEvent.count(),
  datasets: await db().dataset.count(),
});

/** Resident memory of the server under test, when the harness says which process it is. */
function serverRssBytes(): number | null {
  const pid = process.env.E2E_SERVER_PID;
  if (!pid) return null;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : null;
}

test("64 MiB chunked bodies get a 413 from the auth callback and every write route, and write nothing", async () => {
  test.setTimeout(180_000);
  const f = await createStudyFixture({ cases: 2, arms: 2 });
  const reader = await signedIn("invitation", {
    token: new URL((await f.inviteReader()).link).pathname.split("/").pop()!,
  });
  const readerCookie = await cookieHeader(reader);
  await reader.get(`/surveys/${f.studyId}/case/1`);
  const adminCookie = await cookieHeader(await signedIn("staff", await staffUser("ADMIN")));
  const researcherCookie = await cookieHeader(await signedIn("staff", await staffUser("RESEARCHER")));
  const csrf = await (await playwrightRequest.newContext({ baseURL })).get("/api/auth/csrf");
  const anonymous = {
    cookie: csrf
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => h.value.split(";")[0])
      .join("; "),
  };

  const storageDir = process.env.FOCUS_STORAGE_DIR!;
  const files = () =>
    readdirSync(storageDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const filesBefore = files();
  const before = await writes();
  const rssBefore = serverRssBytes();

  const cases: [string, string, Record<string, string>][] = [
    ["POST", "/api/auth/callback/staff", { ...anonymous, "content-type": "application/x-www-form-urlencoded" }],
    ["POST", "/api/auth/callback/invitation", { ...anonymous, "content-type": "application/x-www-form-urlencoded" }],
    ["POST", "/api/auth/callback/staff", { ...anonymous, "content-type": "application/json" }],
    ["POST", `/api/surveys/${f.studyId}/cases/1/answer`, { cookie: readerCookie, "content-type": "application/json" }],
    ["PUT", `/api/surveys/${f.studyId}/cases/1/draft`, { cookie: readerCookie, "content-type": "application/json" }],
    ["POST", `/api/surveys/${f.studyId}/cases/1/draft`, { cookie: readerCookie, "content-type": "application/json" }],
    ["POST", "/api/admin/users", { cookie: adminCookie, "content-type": "application/json" }],
    [
      "POST",
      "/api/researcher/datasets/upload?name=huge&positive=malignant",
      { cookie: researcherCookie, "content-type": "application/zip" },
    ],
  ];
  for (const [method, path, headers] of cases) {
    const res = await chunkedRequest(method, path, headers);
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(413);
    // The zip route streams to disk up to FOCUS_MAX_UPLOAD_MB (16 in the browser tests); the rest stop near 16 KiB.
    expect(res.sentBytes, `${method} ${path} read before answering`).toBeLessThan(BODY_BYTES / 2);
  }

  expect(await writes()).toEqual(before);
  expect(files(), "no partial upload left in storage").toBe(filesBefore);
  const rssAfter = serverRssBytes();
  if (rssBefore !== null && rssAfter !== null) {
    const growth = rssAfter - rssBefore;
    console.log(
      `server RSS ${(rssBefore / MiB).toFixed(0)} -> ${(rssAfter / MiB).toFixed(0)} MiB after ${cases.length} x 64 MiB`,
    );
    // Loose: one buffered 64 MiB body alone would exceed it.
    expect(growth).toBeLessThan(48 * MiB);
  }
  // The server still answers, and normal-sized bodies still work.
  const ok = await reader.put(`/api/surveys/${f.studyId}/cases/1/draft`, { data: { rationale: "still fine" } });
  expect(ok.status()).toBe(200);
});
