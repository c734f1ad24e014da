// The documented authorisation matrix covers exactly the routes on disk (every page, every exported
// HTTP method of every route handler), so a new route cannot ship without a documented rule. The
// browser test e2e/authz-matrix.spec.ts then checks each cell against the running app.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { exportedMethods, parseMatrix, routeOfFile, routesOnDisk } from "./route-inventory";

test("route paths and exported methods are read the way Next.js sees them", () => {
  assert.equal(routeOfFile("app", "app/page.tsx"), "/");
  assert.equal(routeOfFile("app", "app/(staff)/coordinator/studies/[id]/page.tsx"), "/coordinator/studies/[id]");
  assert.deepEqual(exportedMethods("export async function GET(req) {}\nexport function POST() {}"), ["GET", "POST"]);
  assert.deepEqual(exportedMethods("export { handler as GET, handler as POST };"), ["GET", "POST"]);
  assert.deepEqual(exportedMethods("export { save as PUT, save as POST }\nexport const dynamic = 'x';"), [
    "POST",
    "PUT",
  ]);
});

test("docs/authorization-matrix.md lists every route and method on disk, and no other", () => {
  const { columns, rows } = parseMatrix(readFileSync("docs/authorization-matrix.md", "utf8"));
  assert.deepEqual(columns, [
    "anonymous",
    "specialist",
    "researcher",
    "coordinator",
    "admin",
    "other coordinator",
    "other specialist",
    "another coordinator's reader",
    "deactivated reader re-invited",
  ]);
  const documented = rows.map((r) => `${r.method} ${r.route}`).sort();
  const onDisk = routesOnDisk("app")
    .map((r) => `${r.method} ${r.route}`)
    .sort();
  assert.deepEqual(
    documented.filter((r) => !onDisk.includes(r)),
    [],
    "documented but not on disk",
  );
  assert.deepEqual(
    onDisk.filter((r) => !documented.includes(r)),
    [],
    "on disk but not documented",
  );
  const cell = /^(200|201|400|401|403|404|405|415|signin|home|redirect)$/;
  for (const r of rows)
    for (const [col, v] of Object.entries(r.expect)) assert.match(v, cell, `${r.method} ${r.route} / ${col}`);
});
