"use client";
// A table whose columns sort on click (numbers numerically, text by code unit, blanks last). Cells carry
// a sort value and what to show, which may be any rendered node (links, buttons, images).
import { useMemo, useState } from "react";

export interface SortColumn {
  key: string;
  label: string;
  numeric?: boolean;
}

export interface SortCell {
  sort: string | number | null;
  node: React.ReactNode;
  testid?: string;
  /** Exact value for tests and scrapers (the shown text may be rounded). */
  value?: string | number | null;
}

export interface SortRow {
  key: string;
  testid?: string;
  cells: Record<string, SortCell>;
}

export function compareSortValues(a: string | number | null, b: string | number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a),
    sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function SortableTable({
  columns,
  rows,
  testid,
  initialSort,
}: {
  columns: SortColumn[];
  rows: SortRow[];
  testid?: string;
  initialSort?: { key: string; dir: "asc" | "desc" };
}) {
  const [sort, setSort] = useState<{ key: string; dir: "asc" | "desc" } | null>(initialSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const sign = sort.dir === "asc" ? 1 : -1;
    return [...rows].sort((r1, r2) => {
      const a = r1.cells[sort.key]?.sort ?? null,
        b = r2.cells[sort.key]?.sort ?? null;
      // Blanks stay last in both directions.
      if (a === null || b === null) return compareSortValues(a, b);
      return sign * compareSortValues(a, b);
    });
  }, [rows, sort]);
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse bg-white text-sm" data-testid={testid}>
        <thead>
          <tr className="border-b text-left">
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th
                  key={c.key}
                  className="p-2"
                  aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
                >
                  <button
                    type="button"
                    className={`font-medium ${c.numeric ? "text-right" : ""} hover:underline`}
                    onClick={() =>
                      setSort(active && sort.dir === "asc" ? { key: c.key, dir: "desc" } : { key: c.key, dir: "asc" })
                    }
                  >
                    {c.label}
                    {active ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.key} className="border-b align-top" data-testid={r.testid}>
              {columns.map((c) => {
                const cell = r.cells[c.key];
                return (
                  <td
                    key={c.key}
                    className={`p-2 ${c.numeric ? "text-right font-mono" : ""}`}
                    data-testid={cell?.testid}
                    data-value={cell?.value === undefined ? undefined : JSON.stringify(cell.value)}
                  >
                    {cell?.node ?? "—"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
