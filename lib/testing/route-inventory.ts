// The app's routes as they are on disk (pages and route handlers with their HTTP methods), and the
// authorisation matrix as documented in docs/authorization-matrix.md, so the two cannot drift apart.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface RouteOnDisk {
  route: string;
  method: string;
  kind: "page" | "api";
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name === "page.tsx" || name === "route.ts") out.push(p);
  }
  return out;
}

/** Route path of a file under app/: route groups "(x)" vanish, the root page is "/". */
export function routeOfFile(appDir: string, file: string): string {
  const parts = relative(appDir, file)
    .split(sep)
    .slice(0, -1)
    .filter((p) => !/^\(.*\)$/.test(p));
  return `/${parts.join("/")}`;
}

export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\s*\(/g)) found.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) found.add(name);
    }
  }
  for (const m of source.matchAll(/export\s+const\s+([A-Z]+)\s*=/g)) found.add(m[1]);
  return [...found].filter((n) => METHODS.includes(n)).sort();
}

export function routesOnDisk(appDir = "app"): RouteOnDisk[] {
  return walk(appDir).flatMap((file): RouteOnDisk[] => {
    const route = routeOfFile(appDir, file);
    if (file.endsWith("page.tsx")) return [{ route, method: "GET", kind: "page" }];
    return exportedMethods(readFileSync(file, "utf8")).map((method) => ({ route, method, kind: "api" }));
  });
}

export interface MatrixRow {
  route: string;
  method: string;
  expect: Record<string, string>;
}

/** Parses the Markdown table whose header starts with "| route | method |". */
export function parseMatrix(markdown: string): { columns: string[]; rows: MatrixRow[] } {
  const lines = markdown.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => /^\|\s*route\s*\|\s*method\s*\|/.test(l));
  if (start < 0) throw new Error("no authorisation table found");
  const cells = (l: string) =>
    l
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim().replace(/^`|`$/g, ""));
  const header = cells(lines[start]);
  const columns = header.slice(2);
  const rows: MatrixRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const c = cells(line);
    if (c.length !== header.length)
      throw new Error(`matrix row has ${c.length} cells, header ${header.length}: ${line}`);
    rows.push({ route: c[0], method: c[1], expect: Object.fromEntries(columns.map((col, i) => [col, c[i + 2]])) });
  }
  return { columns, rows };
}
