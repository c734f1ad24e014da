"use client";
// Maps a label table onto an import: pick the table, its image/label/split/group/mask columns and the label values
// of each class, with a preview of the rows per class and the rows skipped, before anything is written. The choices
// travel as hidden fields of the surrounding import form; the server parses them once with the import's schema.
import { useState } from "react";
import type { TablePreview } from "@/lib/datasets/label-table-preview";
import { inputClass } from "./field-error";

type Role = "image" | "label" | "split" | "group" | "mask";
const ROLES: Array<{ role: Role; label: string; required: boolean; field: string }> = [
  { role: "image", label: "Image id or path", required: true, field: "imageColumn" },
  { role: "label", label: "Label", required: true, field: "labelColumn" },
  { role: "split", label: "Split (train/validation/test)", required: false, field: "splitColumn" },
  { role: "group", label: "Group (patient or lesion id)", required: false, field: "groupColumn" },
  { role: "mask", label: "Mask path", required: false, field: "maskColumn" },
];

export function LabelTablePicker({ tables }: { tables: TablePreview[] }) {
  const [path, setPath] = useState(tables[0]?.path ?? "");
  const table = tables.find((t) => t.path === path);
  const [columns, setColumns] = useState<Partial<Record<Role, string>>>(() => ({ ...tables[0]?.guess }));
  const [classOf, setClassOf] = useState<Record<string, "positive" | "negative" | "skip">>({});
  if (!table) return null;
  const labelColumn = table.columns.find((c) => c.name === columns.label);
  const values = labelColumn?.values ?? [];
  const pick = (v: string) => classOf[v] ?? "skip";
  const positive = values.filter((v) => pick(v.value) === "positive");
  const negative = values.filter((v) => pick(v.value) === "negative");
  const rowsOf = (list: typeof values) => list.reduce((a, v) => a + v.rows, 0);
  const skipped = table.rows - rowsOf(positive) - rowsOf(negative);
  return (
    <fieldset className="grid gap-2 rounded border border-slate-200 p-3" data-testid="label-table-picker">
      <legend className="px-1 text-sm font-medium">Label table</legend>
      <label className="text-sm" htmlFor="labels-path">
        Table
        <select
          id="labels-path"
          value={path}
          onChange={(e) => {
            const next = tables.find((t) => t.path === e.target.value);
            setPath(e.target.value);
            setColumns({ ...next?.guess });
            setClassOf({});
          }}
          className={inputClass}
        >
          {tables.map((t) => (
            <option key={t.path} value={t.path}>
              {t.path} ({t.rows} rows, {t.columns.length} columns)
            </option>
          ))}
        </select>
      </label>
      <input type="hidden" name="labels" value={table.path} />
      <div className="grid gap-2 sm:grid-cols-2">
        {ROLES.map(({ role, label, required, field }) => (
          <label key={role} className="text-sm" htmlFor={`column-${role}`}>
            {label}
            {required ? "" : " (optional)"}
            <select
              id={`column-${role}`}
              value={columns[role] ?? ""}
              onChange={(e) => {
                setColumns({ ...columns, [role]: e.target.value || undefined });
                if (role === "label") setClassOf({});
              }}
              className={inputClass}
            >
              <option value="">{required ? "choose a column" : "none"}</option>
              {table.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.distinct} value{c.distinct === 1 ? "" : "s"})
                </option>
              ))}
            </select>
            <input type="hidden" name={field} value={columns[role] ?? ""} />
          </label>
        ))}
      </div>
      {labelColumn && labelColumn.values === null && (
        <p role="alert" className="text-sm text-red-700">
          Column {labelColumn.name} has {labelColumn.distinct} different values; choose the column that holds the
          diagnosis.
        </p>
      )}
      {values.length > 0 && (
        <table className="text-sm" data-testid="label-values">
          <thead>
            <tr className="text-left">
              <th className="pr-3">Value of {labelColumn?.name}</th>
              <th className="pr-3">Rows</th>
              <th>Class</th>
            </tr>
          </thead>
          <tbody>
            {values.map((v) => (
              <tr key={v.value}>
                <td className="pr-3 font-mono text-xs">{v.value}</td>
                <td className="pr-3">{v.rows}</td>
                <td>
                  <select
                    aria-label={`Class of ${v.value}`}
                    value={pick(v.value)}
                    onChange={(e) =>
                      setClassOf({ ...classOf, [v.value]: e.target.value as "positive" | "negative" | "skip" })
                    }
                    className="rounded border border-slate-300 px-1"
                  >
                    <option value="skip">skip</option>
                    <option value="positive">positive (1)</option>
                    <option value="negative">negative (0)</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <input type="hidden" name="positive" value={positive.map((v) => v.value).join(",")} />
      <input type="hidden" name="negative" value={negative.map((v) => v.value).join(",")} />
      <p className="text-sm" role="status" data-testid="label-preview">
        Preview: {rowsOf(positive)} positive row(s), {rowsOf(negative)} negative row(s), {skipped} row(s) skipped
        {labelColumn?.empty ? ` (${labelColumn.empty} with an empty label)` : ""}. Rows that name no image are reported
        after the import.
      </p>
    </fieldset>
  );
}
