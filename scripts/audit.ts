// `npm run audit`: known advisories in the production dependencies (what runs on a site), not the dev tools.
// Two parts: an offline check that the installed tree is the one the lock file describes (a stale nested copy,
// such as an old sharp under next, shows up here as invalid or extraneous), then npm's advisory audit, which
// needs the registry. Air-gapped sites and proxies that refuse the audit endpoint get a clear "not checked"
// instead of npm's stack of errors; --strict turns that into a failure for CI runs that do reach the registry.
import { spawnSync } from "node:child_process";
import { z } from "zod";

const strict = process.argv.includes("--strict");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function npmJson(args: string[]): { status: number; json: unknown; stderr: string } {
  const r = spawnSync(npm, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // npm printed nothing parseable (no network at all, or an npm without --json support for this command).
  }
  return { status: r.status ?? 1, json, stderr: r.stderr };
}

// Offline: `npm ls` exits non-zero on missing, invalid or extraneous packages.
const tree = npmJson(["ls", "--omit=dev", "--all", "--json"]);
const treeProblems = z.object({ problems: z.array(z.string()).optional() }).safeParse(tree.json);
const problems = treeProblems.success ? (treeProblems.data.problems ?? []) : [];
if (tree.status !== 0) {
  console.error("The installed production dependencies differ from package-lock.json:");
  for (const p of problems.length > 0 ? problems : [tree.stderr.trim()]) console.error(`  ${p}`);
  console.error("Run `npm ci` and try again.");
  process.exit(1);
}
console.log("Installed production dependencies match package-lock.json.");

const severity = z.enum(["info", "low", "moderate", "high", "critical"]);
const auditReport = z.object({
  vulnerabilities: z.record(
    z.string(),
    z.object({
      name: z.string(),
      severity,
      range: z.string(),
      fixAvailable: z.unknown(),
      via: z.array(z.union([z.string(), z.object({ title: z.string().optional(), url: z.string().optional() })])),
    }),
  ),
  metadata: z.object({ dependencies: z.object({ prod: z.number() }).partial() }).partial(),
});
const auditFailure = z.object({ message: z.string().optional(), error: z.unknown().optional() });

const audit = npmJson(["audit", "--omit=dev", "--json"]);
const report = auditReport.safeParse(audit.json);
if (!report.success) {
  const failure = auditFailure.safeParse(audit.json);
  const reason =
    (failure.success && failure.data.message) || audit.stderr.split("\n").find((l) => l.trim()) || "no answer";
  console.warn(`NOT CHECKED: npm's advisory audit needs the npm registry, which did not answer it (${reason.trim()}).`);
  console.warn("Run `npm run audit` again on a machine that reaches https://registry.npmjs.org.");
  process.exit(strict ? 2 : 0);
}

const found = Object.values(report.data.vulnerabilities);
if (found.length === 0) {
  console.log("No known advisories in the production dependencies.");
  process.exit(0);
}
for (const v of found.sort((a, b) => severity.options.indexOf(b.severity) - severity.options.indexOf(a.severity))) {
  const advisories = v.via.flatMap((x) => (typeof x === "string" ? [`through ${x}`] : [x.url ?? x.title ?? "?"]));
  console.log(`${v.severity.padEnd(8)} ${v.name} ${v.range}: ${advisories.join(", ")}`);
}
console.log(`${found.length} production ${found.length === 1 ? "package has" : "packages have"} known advisories.`);
process.exit(1);
