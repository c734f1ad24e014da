// The same images side by side for each run: the original, then each run's Grad-CAM overlay with the
// softmax probability P of the true class (printed under each map as in the paper) and localisation hits.
import type { HeatmapComparison } from "@/lib/jobs/run-results";
import { formatAuc } from "./format";

export function HeatmapGallery({ comparison }: { comparison: HeatmapComparison }) {
  if (comparison.images.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="heatmap-gallery-empty">
        No heat-maps yet. Render some above; a worker must be running.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="border-collapse bg-white text-xs" data-testid="heatmap-gallery">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Image</th>
            {comparison.runs.map((r) => (
              <th key={r.id} className="p-2">
                {r.variant} seed {r.seed}
                <div className="font-normal text-slate-500">AUC {formatAuc(r.valAuc)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {comparison.images.map((im) => (
            <tr key={im.id} className="border-b align-top">
              <td className="p-2">
                {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                <img
                  src={`/api/researcher/images/${im.id}`}
                  alt={im.originalName}
                  className="h-28 w-28 rounded border object-contain [image-rendering:pixelated]"
                />
                <div className="mt-1 max-w-28 truncate" title={im.originalName}>
                  {im.className} · {im.split === "VALIDATION" ? "val" : im.split.toLowerCase()}
                </div>
              </td>
              {comparison.runs.map((r) => {
                const c = im.cells[r.id];
                return (
                  <td key={r.id} className="p-2">
                    {c ? (
                      <figure data-testid="heatmap-cell">
                        {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                        <img
                          src={`/api/researcher/heatmaps/${c.heatmapId}`}
                          alt={`Grad-CAM of ${r.variant} seed ${r.seed} on ${im.originalName}`}
                          className="h-28 w-28 rounded border object-contain"
                        />
                        <figcaption className="mt-1">
                          P = {c.probability.toFixed(2)}
                          {c.predictedClass !== null ? ` · predicts ${c.predictedClass}` : ""}
                          {c.pointingHit !== null && <> · {c.pointingHit ? "hit" : "miss"}</>}
                          {c.energyInMask !== null && <> · E {c.energyInMask.toFixed(2)}</>}
                        </figcaption>
                      </figure>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
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
