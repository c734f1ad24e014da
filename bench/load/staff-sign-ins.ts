// Staff sign-ins during reading: bursts of concurrent email + password sign-ins (argon2id verification,
// next-auth's staff callback) fired while the readers work, to show that hashing no longer stalls the
// requests readers make. The readers' latencies that complete during each burst are collected apart.
import { randomBytes } from "node:crypto";
import { createStaffUser } from "../../lib/users/users";
import { CookieJar, request } from "../../harness/load/http-client";
import { LatencyRecorder } from "../../harness/load/latency-stats";

export interface StaffAccount {
  email: string;
  password: string;
}

export async function seedStaffAccounts(n: number): Promise<StaffAccount[]> {
  const out: StaffAccount[] = [];
  for (let i = 0; i < n; i++) {
    const a = {
      email: `load-staff-${i}-${randomBytes(3).toString("hex")}@bench.test`,
      password: randomBytes(15).toString("base64url"),
    };
    await createStaffUser({ ...a, name: `Load staff ${i + 1}`, role: "COORDINATOR" }, null);
    out.push(a);
  }
  return out;
}

/** One sign-in as the browser does it: CSRF token, then the credentials POST. Returns its duration. */
export async function signInStaffOnce(base: string, a: StaffAccount): Promise<number> {
  const jar = new CookieJar();
  const started = performance.now();
  const csrf = await request(base, "GET", "/api/auth/csrf", { jar });
  const { csrfToken } = JSON.parse(csrf.body.toString()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: a.email, password: a.password, json: "true" }).toString();
  const res = await request(base, "POST", "/api/auth/callback/staff", {
    jar,
    body: form,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 200 || !jar.get("next-auth.session-token")) throw new Error(`staff sign-in failed: ${res.status}`);
  return performance.now() - started;
}

export interface SignInBurstResult {
  bursts: number;
  signInsPerBurst: number;
  signInMs: number[];
  failures: number;
  /** Reader requests that completed while a burst was in flight, and how long the bursts lasted in all. */
  readers: LatencyRecorder;
  windowS: number;
}

/** `bursts` bursts of all accounts signing in at once, `gapMs` apart, starting after `startMs`. */
export async function runSignInBursts(o: {
  base: string;
  accounts: StaffAccount[];
  bursts: number;
  startMs: number;
  gapMs: number;
  recorder: LatencyRecorder;
}): Promise<SignInBurstResult> {
  const readers = new LatencyRecorder();
  const result: SignInBurstResult = {
    bursts: o.bursts,
    signInsPerBurst: o.accounts.length,
    signInMs: [],
    failures: 0,
    readers,
    windowS: 0,
  };
  await new Promise((r) => setTimeout(r, o.startMs));
  for (let b = 0; b < o.bursts; b++) {
    if (b > 0) await new Promise((r) => setTimeout(r, o.gapMs));
    const started = performance.now();
    await o.recorder.tapWhile(async () => {
      await Promise.all(
        o.accounts.map((a) =>
          signInStaffOnce(o.base, a).then(
            (ms) => void result.signInMs.push(ms),
            () => void result.failures++,
          ),
        ),
      );
    }, readers);
    result.windowS += (performance.now() - started) / 1000;
  }
  return result;
}
