// Intra-reader agreement on repeated cases: each reader's Cohen's kappa with themself and the mean, exactly as
// `focus stats` prints it from an export with repeated readings; "needs repeated cases" when the study repeats none.
import type { GroupSelfAgreement, IntraReaderAgreement } from "@/lib/stats/intra-reader-agreement";
import { NEEDS_REPEATED_CASES } from "@/lib/stats/intra-reader-agreement";
import { undefinedBecause } from "@/lib/stats/estimate";
import { formatStat } from "../../format";

/** A mean kappa and the readers it averages, or the reason it is undefined. */
function MeanKappa({ mean, testid }: { mean: IntraReaderAgreement["mean_kappa"]; testid: string }) {
  return (
    <>
      <span className="font-mono" data-testid={testid} data-value={JSON.stringify(mean.defined ? mean.kappa : null)}>
        {mean.defined ? formatStat(mean.kappa) : mean.because}
      </span>
      {mean.defined && ` over ${mean.n_readers} reader${mean.n_readers === 1 ? "" : "s"}`}
    </>
  );
}

export function IntraReaderStats({
  agreement,
  bySpecialty,
  k,
}: {
  agreement: IntraReaderAgreement | null;
  bySpecialty: GroupSelfAgreement[] | null;
  k: number;
}) {
  return (
    <div className="mt-4 rounded border border-slate-200 bg-white p-3 text-sm" data-testid="intra-reader">
      <h3 className="font-medium">
        Intra-reader agreement ({k} repeated case{k === 1 ? "" : "s"}, Cohen&apos;s kappa)
      </h3>
      <p>
        Mean kappa:{" "}
        <MeanKappa
          mean={agreement?.mean_kappa ?? undefinedBecause(NEEDS_REPEATED_CASES)}
          testid="stat-intra_reader_mean_kappa"
        />
      </p>
      {bySpecialty && bySpecialty.length > 0 && (
        <ul className="mt-1 text-xs text-slate-600" data-testid="intra-reader-by-specialty">
          {bySpecialty.map((g) => (
            <li key={g.group}>
              {g.group}: <MeanKappa mean={g.mean_kappa} testid={`intra-specialty-${g.group}`} />
            </li>
          ))}
        </ul>
      )}
      {agreement && agreement.readers.length > 0 && (
        <table className="mt-2 w-full border-collapse text-sm" data-testid="intra-reader-table">
          <thead>
            <tr className="border-b text-left">
              <th className="p-1">Reader</th>
              <th className="p-1">Pairs</th>
              <th className="p-1">Kappa</th>
              <th className="p-1">95 % interval</th>
            </tr>
          </thead>
          <tbody>
            {agreement.readers.map((r) => (
              <tr key={r.readerId} className="border-b">
                <td className="p-1 font-mono text-xs">{r.readerId}</td>
                <td className="p-1">{r.n_pairs}</td>
                <td
                  className="p-1 font-mono"
                  data-testid={`intra-kappa-${r.readerId}`}
                  data-value={JSON.stringify(r.kappa.defined ? r.kappa.kappa : null)}
                >
                  {r.kappa.defined ? formatStat(r.kappa.kappa) : r.kappa.because}
                </td>
                <td className="p-1 font-mono">
                  {r.kappa.defined ? `${formatStat(r.kappa.ci_low)} – ${formatStat(r.kappa.ci_high)}` : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
