// Display helpers shared by the researcher console (server and client components).

export function formatAuc(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(3);
}

export function formatNumber(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatMoment(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}

/** "CBAM seed 2": how runs are named wherever researchers compare them (they are not blinded). */
export function runLabel(r: { variant: string; seed: number }): string {
  return `${r.variant} seed ${r.seed}`;
}

export const VARIANT_COLOURS: Record<string, string> = {
  BASELINE: "#475569",
  SE: "#15803d",
  CBAM: "#1d4ed8",
  GC: "#c2410c",
};

export const MODALITY_LABEL: Record<string, string> = {
  SKIN: "Skin",
  CHEST_XRAY: "Chest X-ray",
  MRI: "MRI",
  CT: "CT",
  SYNTHETIC: "Synthetic",
  OTHER: "Other",
};

const STATUS_STYLE: Record<string, string> = {
  QUEUED: "bg-slate-100 text-slate-700",
  RUNNING: "bg-blue-100 text-blue-800",
  SUCCEEDED: "bg-green-100 text-green-800",
  FAILED: "bg-red-100 text-red-800",
  CANCELLED: "bg-amber-100 text-amber-800",
};

export function statusClass(status: string): string {
  return `rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? "bg-slate-100"}`;
}
