// Reading the study report's own tables back out of its HTML, and linking each to its CSV (report-tables.ts).
// The report writes these tables itself: `<table data-testid="report-<name>">` with plain rows of th/td cells
// holding escaped text, which is all this needs to understand.
const TABLE = /<table data-testid="report-([a-z0-9-]+)"[^>]*>([\s\S]*?)<\/table>/g;
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

function cellText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])
    .trim();
}

/** The report's tables by name ("models", "preference", …), each as rows of cell texts (the header row first). */
export function reportTablesOf(html: string): Map<string, string[][]> {
  const tables = new Map<string, string[][]>();
  for (const [, name, body] of html.matchAll(TABLE)) {
    const rows = [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, tr]) =>
      [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cellText(cell)),
    );
    tables.set(name, rows);
  }
  return tables;
}

/** A "CSV" link after each table of the report (not in the copy printed to PDF). */
export function withTableLinks(html: string): string {
  return html.replace(
    TABLE,
    (table, name: string) =>
      `${table}<p class="noprint"><a href="report-tables/${name}.csv" data-testid="table-csv-${name}">` +
      `Download this table (CSV)</a></p>`,
  );
}
