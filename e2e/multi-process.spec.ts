// `npm start`'s multi-process mode (harness/next-cluster.ts): two `next start` children on one port serve the
// same session, a child that dies is started again, and SIGTERM to the primary ends every child.
// Requests go over one keep-alive socket at a time: a socket belongs to the child that accepted it, so the
// /api/health answer on a socket names the child that also answers the signed-in request after it.
import { test, expect } from "@playwright/test";
import http from "node:http";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { allListening, spawnNextCluster } from "../harness/next-cluster";
import { signInWithInvitation } from "../harness/load/invitation-sign-in";
import { agent as sharedAgent } from "../harness/load/http-client";
import { studyWithInvitation } from "./support/seed";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function get(agent: http.Agent, url: string, cookie?: string) {
  return new Promise<{ status: number; body: string; reusedSocket: boolean }>((resolve, reject) => {
    const req = http.get(url, { agent, headers: cookie ? { cookie } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, reusedSocket: req.reusedSocket }));
    });
    req.on("error", reject);
  });
}

const childPids = (primary: number) =>
  readFileSync(`/proc/${primary}/task/${primary}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("two web processes share sessions, a dead one is restarted, SIGTERM stops all", async () => {
  test.setTimeout(180_000);
  const { link, study } = await studyWithInvitation();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const primary = spawnNextCluster({ port, processes: 2, env: { NEXTAUTH_URL: base }, stdio: "pipe" });
  let log = "";
  primary.stdout?.on("data", (c: Buffer) => (log += c.toString()));
  primary.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  try {
    await allListening(primary);
    const jar = await signInWithInvitation(base, link);
    const cookie = jar.header();

    // On fresh sockets until both children have answered the signed-in page with the one cookie.
    const served = async () => {
      const seen = new Set<number>();
      for (let i = 0; i < 20 && seen.size < 2; i++) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          const health = await get(agent, `${base}/api/health`);
          const { process: child } = JSON.parse(health.body) as { process: number };
          const page = await get(agent, `${base}/surveys`, cookie);
          expect(page.reusedSocket, "the page came over the socket whose child answered /api/health").toBe(true);
          expect(page.status).toBe(200);
          expect(page.body).toContain(study.title);
          seen.add(child);
        } finally {
          agent.destroy();
        }
      }
      return [...seen].sort();
    };
    expect(await served()).toEqual([1, 2]);
    // Without the cookie the same page is the sign-in redirect: the session, not luck, made it 200.
    const anonymous = new http.Agent({ keepAlive: false });
    expect((await get(anonymous, `${base}/surveys`)).status).toBeGreaterThanOrEqual(300);

    const [victim] = childPids(primary.pid!);
    process.kill(victim, "SIGKILL");
    await expect.poll(() => log, { timeout: 30_000 }).toMatch(/web process \d \(pid \d+\) exited \(SIGKILL\)/);
    await expect.poll(() => childPids(primary.pid!).filter((p) => p !== victim).length, { timeout: 60_000 }).toBe(2);
    expect(await served()).toEqual([1, 2]);

    const children = childPids(primary.pid!);
    const exited = new Promise((r) => primary.once("exit", r));
    primary.kill("SIGTERM");
    await exited;
    await expect.poll(() => children.filter(alive).length, { timeout: 15_000 }).toBe(0);
  } finally {
    sharedAgent.destroy();
    if (primary.exitCode === null) primary.kill("SIGKILL");
  }
});
