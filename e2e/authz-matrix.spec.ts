// Walks every route on disk (app/**/page.tsx, app/**/route.ts and their methods) as every role, anonymous,
// a coordinator who does not own the study and a specialist not invited to it, and compares each answer
// with docs/authorization-matrix.md (parsed here, so the document and the test cannot drift). Also: CSRF,
// session fixation and security headers.
import { test, expect, request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { randomBytes } from "node:crypto";
import { db } from "../lib/db/client";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { HOME_BY_ROLE } from "../lib/auth/roles";
import { parseMatrix, routesOnDisk } from "../lib/testing/route-inventory";
import { importRoot, staffUser } from "./support/seed";
import { signIn } from "./support/sign-in";
import { createInvitation } from "../lib/studies/invitations";
import { setUserActive } from "../lib/users/users";

const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3101";
const SESSION_COOKIE = "next-auth.session-token";

type Who =
  | "anonymous"
  | "specialist"
  | "researcher"
  | "coordinator"
  | "admin"
  | "other coordinator"
  | "other specialist"
  | "another coordinator's reader"
  | "deactivated reader re-invited";
const HOME: Record<Who, string | null> = {
  anonymous: null,
  specialist: HOME_BY_ROLE.SPECIALIST,
  researcher: HOME_BY_ROLE.RESEARCHER,
  coordinator: HOME_BY_ROLE.COORDINATOR,
  admin: HOME_BY_ROLE.ADMIN,
  "other coordinator": HOME_BY_ROLE.COORDINATOR,
  "other specialist": HOME_BY_ROLE.SPECIALIST,
  "another coordinator's reader": HOME_BY_ROLE.SPECIALIST,
  "deactivated reader re-invited": null,
};

async function csrf(ctx: APIRequestContext): Promise<string> {
  return ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
}

async function signedIn(
  provider: "staff" | "invitation",
  credentials: Record<string, string>,
): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const res = await ctx.post(`/api/auth/callback/${provider}`, {
    form: { csrfToken: await csrf(ctx), json: "true", ...credentials },
  });
  expect(res.status(), `${provider} sign-in`).toBe(200);
  expect((await ctx.storageState()).cookies.some((c) => c.name === SESSION_COOKIE)).toBe(true);
  return ctx;
}

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

function outcome(res: APIResponse, who: Who): string {
  if (res.status() >= 300 && res.status() < 400) {
    const location = new URL(res.headers()["location"] ?? "/", baseURL).pathname;
    if (location === "/signin") return "signin";
    if (location === HOME[who]) return "home";
    return "redirect";
  }
  return String(res.status());
}

test("every route answers every role as docs/authorization-matrix.md says", async () => {
  test.setTimeout(240_000);
  const { rows } = parseMatrix(readFileSync("docs/authorization-matrix.md", "utf8"));
  const onDisk = routesOnDisk("app")
    .map((r) => `${r.method} ${r.route}`)
    .sort();
  expect(rows.map((r) => `${r.method} ${r.route}`).sort(), "the matrix lists exactly the routes on disk").toEqual(
    onDisk,
  );

  const f = await createStudyFixture({ cases: 2, arms: 2 });
  const elsewhere = await createStudyFixture({ cases: 1, arms: 2 });
  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId }, select: { email: true } });
  const study = await db().study.findUniqueOrThrow({
    where: { id: f.studyId },
    select: { datasetId: true, cases: { orderBy: { caseIndex: "asc" }, select: { imageId: true } } },
  });
  // A stored prediction, so that the run's predictions CSV has something to answer with.
  await db().runPrediction.create({
    data: { modelRunId: f.runIds[0], imageId: study.cases[0].imageId, probability: 0.5 },
  });
  const researcher = await staffUser("RESEARCHER");
  const admin = await staffUser("ADMIN");
  const otherCoordinator = await staffUser("COORDINATOR");

  const specialistInvite = await f.inviteReader();
  const specialist = await db().user.findUniqueOrThrow({
    where: { id: specialistInvite.readerId },
    select: { email: true },
  });
  // Another coordinator invites the same clinician to their own study and holds that invitation's link.
  const takeover = await createInvitation(
    elsewhere.studyId,
    { email: specialist.email, name: "Renamed", specialty: "RADIOLOGY" },
    elsewhere.ownerId,
  );
  // A second reader of the study signs in; an admin deactivates the account; the coordinator invites it again.
  const deactivated = await f.inviteReader("Deactivated Reader");
  const deactivatedCtx = await signedIn("invitation", { token: tokenOf(deactivated.link) });
  const adminId = (await db().user.findUniqueOrThrow({ where: { email: admin.email }, select: { id: true } })).id;
  await setUserActive(deactivated.readerId, false, adminId);
  const deactivatedEmail = (await db().user.findUniqueOrThrow({ where: { id: deactivated.readerId } })).email;
  await expect(
    createInvitation(f.studyId, { email: deactivatedEmail, name: "Back", specialty: "OTHER" }, f.ownerId),
  ).rejects.toThrow(/deactivated/);

  const ctx: Record<Who, APIRequestContext> = {
    anonymous: await playwrightRequest.newContext({ baseURL }),
    specialist: await signedIn("invitation", { token: tokenOf(specialistInvite.link) }),
    researcher: await signedIn("staff", researcher),
    coordinator: await signedIn("staff", { email: owner.email, password: "fixture-password" }),
    admin: await signedIn("staff", admin),
    "other coordinator": await signedIn("staff", otherCoordinator),
    "other specialist": await signedIn("invitation", { token: tokenOf((await elsewhere.inviteReader()).link) }),
    "another coordinator's reader": await signedIn("invitation", { token: tokenOf(takeover.link) }),
    "deactivated reader re-invited": deactivatedCtx,
  };
  // The specialist's own token for the original image of case 1 (created when the case is first shown).
  const page = await (await ctx.specialist.get(`/surveys/${f.studyId}/case/1`)).text();
  const blindToken = /\/api\/blind\/([A-Za-z0-9_-]{20,64})/.exec(page)?.[1];
  expect(blindToken).toBeTruthy();
  // And one of a slot's raw map (the original has none).
  const camToken = /\/api\/blind\/([A-Za-z0-9_-]{20,64})\/cam/.exec(page)?.[1];
  expect(camToken).toBeTruthy();

  const ids: Record<string, string> = {
    "/coordinator/studies/[id]": f.studyId,
    "/api/coordinator/studies/[id]": f.studyId,
    "/researcher/datasets/[id]": study.datasetId,
    "/researcher/runs/[id]": f.runIds[0],
    "/api/researcher/runs/[id]": f.runIds[0],
  };
  const samplePath = (route: string, method: string): string => {
    let path = route;
    for (const [prefix, id] of Object.entries(ids))
      if (path.startsWith(prefix)) path = prefix.replace("[id]", id) + path.slice(prefix.length);
    return path
      .replace("[studyId]", f.studyId)
      .replace("[n]", "1")
      .replace("[slot]", "A")
      .replace("[invitationId]", specialistInvite.invitationId)
      .replace("/blind/[token]/cam", `/blind/${camToken}/cam`)
      .replace("[table]", "preference.csv")
      .replace("/blind/[token]", `/blind/${blindToken}`)
      .replace("/invite/[token]", `/invite/${randomBytes(32).toString("base64url")}`)
      .replace("/reenter/[token]", `/reenter/${randomBytes(32).toString("base64url")}`)
      .replace("/reset/[token]", `/reset/${randomBytes(32).toString("base64url")}`)
      .replace("[imageId]", study.cases[0].imageId)
      .replace("[heatmapId]", f.heatmapIds[0])
      .replace("[...nextauth]", method === "GET" ? "csrf" : "signout");
  };
  const body = (route: string): { data?: unknown; headers?: Record<string, string> } =>
    route.startsWith("/api/surveys/")
      ? { data: { slot: "A", rationale: "matrix test rationale" } }
      : route === "/api/admin/users"
        ? { data: {} }
        : route.startsWith("/api/auth/")
          ? { headers: { "content-type": "application/x-www-form-urlencoded" } }
          : {};

  const mismatches: string[] = [];
  const actualTable: string[] = [];
  for (const row of rows) {
    const path = samplePath(row.route, row.method);
    expect(path, `no sample value for a parameter of ${row.route}`).not.toMatch(/\[/);
    const cells: string[] = [];
    for (const who of Object.keys(row.expect) as Who[]) {
      const res = await ctx[who].fetch(path, { method: row.method, maxRedirects: 0, ...body(row.route) });
      const got = outcome(res, who);
      cells.push(got);
      if (got !== row.expect[who])
        mismatches.push(`${row.method} ${row.route} as ${who}: expected ${row.expect[who]}, got ${got} (${path})`);
    }
    actualTable.push(`| \`${row.route}\` | ${row.method} | ${cells.join(" | ")} |`);
  }
  if (mismatches.length) console.log(`Actual matrix:\n${actualTable.join("\n")}`);
  expect(mismatches, "route answers that differ from docs/authorization-matrix.md").toEqual([]);
  for (const c of Object.values(ctx)) await c.dispose();
});

test("CSRF: next-auth POSTs need its token; JSON write routes refuse form content types even with a session", async () => {
  const staff = await staffUser("COORDINATOR");
  const forged = await playwrightRequest.newContext({ baseURL });
  // A cross-site form cannot read the CSRF token, so it posts the credentials alone.
  await forged.post("/api/auth/callback/staff", {
    form: { email: staff.email, password: staff.password, json: "true" },
    maxRedirects: 0,
  });
  expect(
    (await forged.storageState()).cookies.some((c) => c.name === SESSION_COOKIE),
    "no session without the CSRF token",
  ).toBe(false);
  await forged.dispose();

  const f = await createStudyFixture({ cases: 1, arms: 2 });
  const reader = await f.inviteReader();
  const ctx = await signedIn("invitation", { token: tokenOf(reader.link) });
  const cookie = (await ctx.storageState()).cookies.find((c) => c.name === SESSION_COOKIE)!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Lax");
  const before = await db().response.count({ where: { readerId: reader.readerId } });
  const json = JSON.stringify({ slot: "A", rationale: "forged by another site" });
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
    for (const endpoint of ["answer", "draft"]) {
      const res = await ctx.post(`/api/surveys/${f.studyId}/cases/1/${endpoint}`, {
        headers: { "content-type": type },
        data: json,
      });
      expect(res.status(), `${endpoint} as ${type}`).toBe(415);
    }
  }
  expect(await db().response.count({ where: { readerId: reader.readerId } })).toBe(before);
  await ctx.dispose();
});

test("session fixation: a session cookie planted before sign-in is neither accepted nor kept", async () => {
  const staff = await staffUser("RESEARCHER");
  const planted = `planted-${randomBytes(16).toString("hex")}`;
  const { hostname } = new URL(baseURL);
  const withPlanted = await playwrightRequest.newContext({
    baseURL,
    storageState: {
      cookies: [
        {
          name: SESSION_COOKIE,
          value: planted,
          domain: hostname,
          path: "/",
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: "Lax",
        },
      ],
      origins: [],
    },
  });
  expect(await (await withPlanted.get("/api/auth/session")).json()).toEqual({});
  expect((await withPlanted.get("/researcher", { maxRedirects: 0 })).status()).toBe(307);
  await withPlanted.post("/api/auth/callback/staff", {
    form: { csrfToken: await csrf(withPlanted), json: "true", ...staff },
  });
  const session = (await withPlanted.storageState()).cookies.find((c) => c.name === SESSION_COOKIE);
  expect(session?.value).toBeTruthy();
  expect(session?.value).not.toBe(planted);
  expect((await withPlanted.get("/researcher", { maxRedirects: 0 })).status()).toBe(200);
  await withPlanted.dispose();
});

test("security headers on pages and API answers", async ({ request }) => {
  for (const path of ["/signin", "/api/health", "/invite/x"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], path).toContain("default-src 'self'");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["referrer-policy"], path).toBe("no-referrer");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
});

test("import outside the root: a researcher's folder import reads nothing outside FOCUS_IMPORT_ROOTS", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const tag = randomBytes(3).toString("hex");
  const root = importRoot();
  // A valid data set, so that only the root check can stop it; class names that a listing would show.
  const dataset = async (dir: string) => {
    for (const [c, cls] of ["cls-alpha", "cls-beta"].entries()) {
      mkdirSync(join(dir, cls), { recursive: true });
      for (let i = 0; i < 3; i++) {
        const px = Buffer.alloc(40 * 40 * 3, 40 + 60 * c + 10 * i);
        writeFileSync(
          join(dir, cls, `img${i}.png`),
          await sharp(px, { raw: { width: 40, height: 40, channels: 3 } })
            .png()
            .toBuffer(),
        );
      }
    }
  };
  const privateDir = mkdtempSync(join(tmpdir(), "focus-e2e-private-"));
  await dataset(privateDir);
  chmodSync(privateDir, 0o700);
  const evil = `${root}-evil-${tag}`;
  await dataset(evil);
  const link = join(root, `link-${tag}`);
  symlinkSync(privateDir, link);
  const researcher = await staffUser("RESEARCHER");
  await signIn(page, researcher.email, researcher.password);
  await page.goto("/researcher");
  const form = page.getByRole("form", { name: "Import a folder" });
  await expect(form).toContainText(root);
  const names: string[] = [];
  try {
    for (const folder of ["/etc", "/proc/self", privateDir, evil, link, `${root}/../../../etc`]) {
      const name = `e2e-outside-${tag}-${names.length}`;
      names.push(name);
      await form.getByLabel("Folder path").fill(folder);
      await form.getByLabel("Dataset name").fill(name);
      await form.getByLabel("Positive class (folder name)").fill("cls-beta");
      await form.getByRole("button", { name: "Import folder" }).click();
      const alert = form.getByRole("alert");
      await expect(alert, folder).toContainText("is not inside an import root");
      const shown = (await alert.textContent()) ?? "";
      for (const entry of ["cls-alpha", "cls-beta", ...readdirSync("/etc").filter((e) => e.length >= 6)]) {
        expect(shown, `${folder}: the refusal lists ${entry}`).not.toContain(entry);
      }
    }
    expect(await db().dataset.count({ where: { name: { in: names } } })).toBe(0);
  } finally {
    for (const p of [privateDir, evil, link]) rmSync(p, { recursive: true, force: true });
  }
});
