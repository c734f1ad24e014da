"use client";
// Recharts views of runs: ROC curves overlaid (validation split) and training curves per epoch.
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { EpochPoint, RocPoint } from "@/lib/jobs/run-results";
import { VARIANT_COLOURS } from "../format";

export interface ChartRun {
  id: string;
  label: string;
  variant: string;
  seed: number;
}

const DASHES = ["", "6 3", "2 2", "10 4 2 4"];

function stroke(r: ChartRun, i: number) {
  return {
    stroke: VARIANT_COLOURS[r.variant] ?? ["#7c3aed", "#db2777", "#0891b2"][i % 3],
    strokeDasharray: DASHES[(r.seed - 1 + DASHES.length) % DASHES.length],
  };
}

export function RocChart({ runs }: { runs: (ChartRun & { roc: RocPoint[]; valAuc: number | null })[] }) {
  const shown = runs.filter((r) => r.roc.length >= 2);
  return (
    <div
      className="h-80 w-full"
      data-testid="roc-chart"
      role="img"
      aria-label={`ROC curves (validation): ${shown.map((r) => `${r.label} AUC ${r.valAuc?.toFixed(3) ?? "n/a"}`).join("; ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="fpr"
            domain={[0, 1]}
            ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            label={{ value: "False positive rate", position: "insideBottom", offset: -10 }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            label={{ value: "True positive rate", angle: -90, position: "insideLeft" }}
          />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#94a3b8"
            strokeDasharray="4 4"
            ifOverflow="extendDomain"
          />
          <Tooltip formatter={(v) => Number(v).toFixed(3)} labelFormatter={(v) => `FPR ${Number(v).toFixed(3)}`} />
          <Legend verticalAlign="top" />
          {shown.map((r, i) => (
            <Line
              key={r.id}
              data={r.roc}
              dataKey="tpr"
              name={`${r.label} (AUC ${r.valAuc?.toFixed(3) ?? "—"})`}
              type="linear"
              dot={false}
              isAnimationActive={false}
              strokeWidth={2}
              {...stroke(r, i)}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function TrainingCurves({
  runs,
  metric,
}: {
  runs: (ChartRun & { history: EpochPoint[] })[];
  metric: "loss" | "valAuc";
}) {
  const label = metric === "loss" ? "Training loss (cross-entropy)" : "Validation AUC";
  const shown = runs.filter((r) => r.history.some((h) => h[metric] !== null));
  return (
    <div
      className="h-64 w-full"
      data-testid={metric === "loss" ? "loss-chart" : "auc-chart"}
      role="img"
      aria-label={`${label} per epoch for ${shown.map((r) => r.label).join(", ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="epoch"
            domain={["dataMin", "dataMax"]}
            allowDecimals={false}
            label={{ value: "Epoch", position: "insideBottom", offset: -10 }}
          />
          <YAxis
            type="number"
            domain={metric === "valAuc" ? [0, 1] : ["auto", "auto"]}
            label={{ value: label, angle: -90, position: "insideLeft", style: { fontSize: 11 } }}
          />
          <Tooltip formatter={(v) => Number(v).toFixed(4)} labelFormatter={(v) => `epoch ${v as number}`} />
          <Legend verticalAlign="top" />
          {shown.map((r, i) => (
            <Line
              key={r.id}
              data={r.history}
              dataKey={metric}
              name={r.label}
              type="linear"
              dot={r.history.length < 30}
              isAnimationActive={false}
              strokeWidth={2}
              connectNulls
              {...stroke(r, i)}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
