// The localisation summary per variant and split: pointing game, energy in mask and top-15 % IoU, each with its
// chance level and a bootstrap 95 % interval; blank maps counted on their own.
import type { DatasetLocalisation } from "@/lib/jobs/localisation-summary";
import type { MetricWithChance } from "@/lib/stats/localisation-summary";
import { formatNumber } from "../format";

function Metric({ m, testid }: { m: MetricWithChance; testid: string }) {
  if (m.value === null) return <td className="p-2">—</td>;
  return (
    <td className="p-2 font-mono" data-testid={testid} data-value={JSON.stringify(m.value)}>
      {formatNumber(m.value)}
      {m.ci && (
        <span className="text-slate-600">
          {" "}
          [{formatNumber(m.ci.low)}, {formatNumber(m.ci.high)}]
        </span>
      )}
      <div className="text-xs text-slate-500">chance {formatNumber(m.chance)}</div>
    </td>
  );
}

export function LocalisationTable({ localisation }: { localisation: DatasetLocalisation }) {
  const boot = localisation.rows[0]?.summary.bootstrap;
  return (
    <div className="space-y-2">
      {localisation.rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="localisation-empty">
          No scored heat-maps yet: render maps of masked validation or test images below.
        </p>
      ) : (
        <table className="w-full border-collapse bg-white text-sm" data-testid="localisation-table">
          <thead>
            <tr className="border-b text-left">
              <th className="p-2">Variant</th>
              <th className="p-2">Split</th>
              <th className="p-2">Maps</th>
              <th className="p-2">Blank maps</th>
              <th className="p-2">Pointing game</th>
              <th className="p-2">Energy in mask</th>
              <th className="p-2">Top-15 % IoU</th>
            </tr>
          </thead>
          <tbody>
            {localisation.rows.map((r) => {
              const key = `${r.variant}-${r.split}`;
              return (
                <tr key={key} className="border-b" data-testid={`localisation-row-${key}`}>
                  <td className="p-2 font-medium">{r.variant}</td>
                  <td className="p-2">{r.split.toLowerCase()}</td>
                  <td className="p-2">
                    {r.summary.maps} of {r.summary.images} images · {r.runs} run{r.runs === 1 ? "" : "s"}
                  </td>
                  <td className="p-2" data-testid={`localisation-blank-${key}`}>
                    {r.summary.blank}
                  </td>
                  <Metric m={r.summary.pointingGame} testid={`localisation-pointing-${key}`} />
                  <Metric m={r.summary.energyInMask} testid={`localisation-energy-${key}`} />
                  <Metric m={r.summary.topIou} testid={`localisation-iou-${key}`} />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="text-xs text-slate-600">
        Over the masked images with a heat-map (Grad-CAM, target = ground truth), a variant&apos;s runs pooled. Chance:
        the mean mask share for the pointing game and the energy, the expected IoU of a random region of the same size
        for the IoU. Blank (constant) maps point nowhere: they are counted, and left out of the three measures.
        {boot &&
          ` 95 % intervals: percentile bootstrap over images (a resampled image brings all its maps), ${boot.resamples} resamples, seed ${boot.seed}.`}
        {localisation.unrecorded > 0 &&
          ` ${localisation.unrecorded} older map(s) lack chance levels and are left out; render them again with "Recompute existing maps" to include them.`}
      </p>
    </div>
  );
}
