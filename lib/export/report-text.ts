// How the study report writes text and numbers into its HTML.

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
export const num = (v: number | null, digits = 3) => (v === null ? "—" : v.toFixed(digits));
export const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)} %`);
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Table rows of already-escaped cells. */
export const rowsHtml = (cells: readonly (readonly string[])[]) =>
  cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join("")}</tr>`).join("\n");
