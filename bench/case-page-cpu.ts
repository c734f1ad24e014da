// `npm run bench:case-page`: what one reader request costs the web server in CPU time, measured on one
// `next start` process from its own /proc counters (user + system), so that other work on a shared machine
// inflates the wall clock but not the figure. Readers open cases for the first time (slot order and tokens
// are created), open them again, fetch the blind images, autosave and submit.
// --profile also writes a V8 CPU profile of the server (NEXT_CPU_PROF) and prints the functions with the
// most self time: where a render's milliseconds go.
// Options: --readers 20 --cases 10 --arms 4 --port 3202 --profile --json
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../harness/test-database";
import { seedStudyWithReaders, signInAll, startProductionApp } from "../harness/load/app-under-test";
import { agent, request, type CookieJar } from "../harness/load/http-client";
import { blindUrlsOf, slotLettersOf } from "../harness/load/reader-flow";
import { machineInfo } from "./load/machine";
import { summariseProfile, type CpuProfile, type ProfileLine } from "./load/cpu-profile";

const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ

/** User + system CPU ms of the `next start` children of the primary `pid`. */
function childrenCpuMs(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  let ticks = 0;
  for (const child of children) {
    // Fields after the command name (which may hold spaces, hence the last ")"): utime is the 14th, stime the 15th.
    const stat = readFileSync(`/proc/${child}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** Data and React render of a case page called in a process of their own, without Next.js (page-without-next.ts). */
function pageWithoutNext(studyId: string, cases: number, readerIds: string[]): { dataMs: number; renderMs: number } {
  const script = fileURLToPath(new URL("./load/page-without-next.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", script, studyId, String(cases), ...readerIds], {
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as { dataMs: number; renderMs: number };
}

export interface CpuCost {
  step: string;
  requests: number;
  cpuMsPerRequest: number;
  wallMsMedian: number;
}

async function measure(
  pid: number,
  step: string,
  jobs: (() => Promise<{ status: number; ms: number }>)[],
  concurrency = 4,
): Promise<CpuCost> {
  const before = childrenCpuMs(pid);
  const wall: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const res = await jobs[next++]();
        if (res.status !== 200) throw new Error(`${step}: HTTP ${res.status}`);
        wall.push(res.ms);
      }
    }),
  );
  // The counters advance in 10 ms ticks; let the last request's work be counted.
  await new Promise((r) => setTimeout(r, 50));
  const cpu = childrenCpuMs(pid) - before;
  wall.sort((a, b) => a - b);
  return {
    step,
    requests: jobs.length,
    cpuMsPerRequest: Math.round((cpu / jobs.length) * 10) / 10,
    wallMsMedian: Math.round(wall[Math.floor(wall.length / 2)] * 10) / 10,
  };
}

export async function runCasePageCpu(o: {
  readers: number;
  cases: number;
  arms: number;
  port: number;
  profile: boolean;
}) {
  const tdb = await createTestDatabase();
  const storage = mkdtempSync(join(tmpdir(), "focus-cpu-storage-"));
  // `next start` writes its profile into ./.next-profiles whatever NEXT_CPU_PROF_DIR says.
  const profileDir = ".next-profiles";
  const startedAt = Date.now();
  const appEnv: Record<string, string> = {
    DATABASE_URL: tdb.url,
    FOCUS_STORAGE_DIR: storage,
    NEXTAUTH_SECRET: "cpu-bench-secret-".padEnd(40, "x"),
    ...(o.profile ? { NEXT_CPU_PROF: "1" } : {}),
  };
  Object.assign(process.env, {
    DATABASE_URL: tdb.url,
    FOCUS_STORAGE_DIR: storage,
    NEXTAUTH_SECRET: appEnv.NEXTAUTH_SECRET,
  });
  let app: Awaited<ReturnType<typeof startProductionApp>> | undefined;
  const machine = machineInfo();
  let profile: ProfileLine[] = [];
  try {
    const { studyId, readers } = await seedStudyWithReaders({ cases: o.cases, arms: o.arms, readers: o.readers });
    app = await startProductionApp({ port: o.port, env: appEnv, processes: 1 });
    const base = app.base;
    const pid = app.child.pid!;
    const jars = await signInAll(base, readers, 4);
    const get = (jar: CookieJar, path: string) => request(base, "GET", path, { jar });
    // Warm up the server's code paths on a case nobody measures.
    for (const jar of jars.slice(0, 4)) await get(jar, `/surveys/${studyId}/case/${o.cases}`);
    const pages = new Map<string, string>();
    const pageJobs = () =>
      jars.flatMap((jar, r) =>
        Array.from({ length: o.cases - 1 }, (_, c) => async () => {
          const res = await get(jar, `/surveys/${studyId}/case/${c + 1}`);
          pages.set(`${r}/${c + 1}`, res.body.toString());
          return res;
        }),
      );
    const results: CpuCost[] = [];
    // The floor under every request: what Next.js costs for a route handler with one query, and for a page
    // with no data (the sign-in form, rendered per request for its CSP nonce), on the same process.
    // (Each warmed up first: a route's first request loads its modules.)
    const health = () => request(base, "GET", "/api/health");
    const signIn = () => request(base, "GET", "/signin");
    for (let i = 0; i < 4; i++) await Promise.all([health(), signIn()]);
    const floorJobs = (job: typeof health) => Array.from({ length: jars.length * 4 }, () => job);
    results.push(await measure(pid, "floor: route, one query", floorJobs(health)));
    results.push(await measure(pid, "floor: page without data", floorJobs(signIn)));
    results.push(await measure(pid, "case page, first view", pageJobs()));
    results.push(await measure(pid, "case page, seen before", pageJobs()));
    const imageJobs = jars.flatMap((jar, r) =>
      Array.from({ length: o.cases - 1 }, (_, c) => blindUrlsOf(pages.get(`${r}/${c + 1}`) ?? "")).flatMap((urls) =>
        urls.map((url) => () => get(jar, url)),
      ),
    );
    results.push(await measure(pid, "blind image", imageJobs));
    const json = (jar: CookieJar, method: string, path: string, body: unknown) =>
      request(base, method, path, { jar, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const letterOf = (r: number, c: number) => slotLettersOf(pages.get(`${r}/${c}`) ?? "")[0] ?? "A";
    const rationale = "CPU bench rationale: the border of the lesion.";
    results.push(
      await measure(
        pid,
        "autosave",
        jars.flatMap((jar, r) =>
          Array.from(
            { length: o.cases - 1 },
            (_, c) => () =>
              json(jar, "PUT", `/api/surveys/${studyId}/cases/${c + 1}/draft`, { slot: letterOf(r, c + 1), rationale }),
          ),
        ),
      ),
    );
    results.push(
      await measure(
        pid,
        "submit",
        jars.flatMap((jar, r) =>
          Array.from(
            { length: o.cases - 1 },
            (_, c) => () =>
              json(jar, "POST", `/api/surveys/${studyId}/cases/${c + 1}/answer`, {
                slot: letterOf(r, c + 1),
                rationale,
              }),
          ),
        ),
      ),
    );
    await app.stop();
    app = undefined;
    const withoutNext = pageWithoutNext(
      studyId,
      o.cases,
      readers.map((r) => r.readerId),
    );
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const inProcess = { dataMs: round(withoutNext.dataMs), renderMs: round(withoutNext.renderMs) };
    if (o.profile && existsSync(profileDir)) {
      const file = readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile") && statSync(join(profileDir, f)).mtimeMs >= startedAt)
        .sort()
        .pop();
      if (file) profile = summariseProfile(JSON.parse(readFileSync(join(profileDir, file), "utf8")) as CpuProfile);
    }
    return { kind: "case-page-cpu", at: new Date().toISOString(), machine, config: o, results, inProcess, profile };
  } finally {
    agent.destroy();
    await app?.stop();
    await tdb.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      readers: { type: "string", default: "20" },
      cases: { type: "string", default: "10" },
      arms: { type: "string", default: "4" },
      port: { type: "string", default: "3202" },
      profile: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const r = await runCasePageCpu({
    readers: Number(values.readers),
    cases: Number(values.cases),
    arms: Number(values.arms),
    port: Number(values.port),
    profile: values.profile,
  });
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`\n${r.machine.cores} × ${r.machine.cpuModel}, load average ${r.machine.loadAverage1m} at start`);
    console.log("step                      requests  CPU ms / request  wall ms (median)");
    for (const c of r.results)
      console.log(
        `${c.step.padEnd(26)}${String(c.requests).padStart(8)}  ${String(c.cpuMsPerRequest).padStart(16)}  ${String(c.wallMsMedian).padStart(16)}`,
      );
    console.log(
      `without Next.js, in process (cases seen before): the page's data ${r.inProcess.dataMs} CPU ms, ` +
        `React's render of its component ${r.inProcess.renderMs} CPU ms`,
    );
    if (r.profile.length) {
      console.log("\nself time in the server (whole run), top functions:");
      for (const p of r.profile) console.log(`${String(p.selfMs).padStart(8)} ms  ${p.fn}  ${p.where}`);
    }
  }
  process.exit(0);
}
