"use client";
// Share of answers per arm with Wilson 95 % intervals.
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartBar {
  label: string;
  count: number;
  share: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export function ChoiceChart({ bars }: { bars: ChartBar[] }) {
  const data = bars.map((b) => {
    const share = b.share ?? 0;
    return {
      label: b.label,
      count: b.count,
      share: 100 * share,
      ci: [100 * (share - (b.ciLow ?? share)), 100 * ((b.ciHigh ?? share) - share)],
    };
  });
  return (
    <div
      className="h-72 w-full"
      role="img"
      aria-label={`Share of answers per arm: ${bars.map((b) => `${b.label} ${b.count}`).join(", ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" />
          <YAxis unit=" %" domain={[0, 100]} />
          <Tooltip
            formatter={(v, _n, item) => [
              `${Number(v).toFixed(1)} % (${(item?.payload as { count: number }).count} answers)`,
              "share",
            ]}
          />
          <Bar dataKey="share" fill="#1e40af" isAnimationActive={false}>
            <ErrorBar dataKey="ci" width={8} strokeWidth={1.5} stroke="#0f172a" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
