// Results: the one page besides exports where arms are named. Every number comes from
// `summarize` over the export rows, exactly as `focus stats --input export.csv --json` computes it.
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { manageableStudy } from "@/lib/studies/study-access";
import { studyResults } from "@/lib/studies/results";
import type { StatsSummary } from "@/lib/stats/summary";
import { EmptyState } from "../../../../components/empty-state";
import { formatPercent, formatStat, StatusBadge } from "../../format";
import { ChoiceChart } from "./choice-chart";
import { QuestionStats } from "./question-stats";
import { IntraReaderStats } from "./intra-reader-stats";
import { AutoRefresh } from "@/app/components/auto-refresh";

export const dynamic = "force-dynamic";

const NEEDS_TWO_READERS = "needs ≥ 2 readers";
const OPTION_TEXT = { none: "none of the maps", cannot_decide: "cannot decide" } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A statistic with its exact value in data-value, so tests and scrapers need not parse the rounded text. */
function Stat({
  name,
  label,
  value,
  testid,
  undefinedText,
}: {
  name: string;
  label: string;
  value: number | null;
  testid?: string;
  undefinedText?: string;
}) {
  return (
    <tr className="border-b">
      <th className="p-2 text-left font-normal text-slate-700">{label}</th>
      <td className="p-2 font-mono" data-testid={testid ?? `stat-${name}`} data-value={JSON.stringify(value)}>
        {value === null && undefinedText ? undefinedText : formatStat(value)}
      </td>
    </tr>
  );
}

function StatsTable({ s, prefix = "" }: { s: StatsSummary; prefix?: string }) {
  const id = (k: string) => `${prefix}stat-${k}`;
  // Agreement between readers is not defined with one reader; say so rather than print a dash or a perfect score.
  const agreement = s.n_readers < 2 ? NEEDS_TWO_READERS : undefined;
  return (
    <table className="w-full border-collapse bg-white text-sm">
      <tbody>
        <Stat
          name="chi_square"
          testid={id("chi_square")}
          label={`Chi-square (df ${s.chi_square?.df ?? "—"}), equal preference`}
          value={s.chi_square?.statistic ?? null}
        />
        <Stat name="chi_square_p" testid={id("chi_square_p")} label="p (chi-square)" value={s.chi_square?.p ?? null} />
        {s.exact_p && (
          <Stat
            name="exact_p"
            testid={id("exact_p")}
            label={`Exact multinomial p (${s.exact_p.method})`}
            value={s.exact_p.p}
          />
        )}
        <Stat
          name="fleiss_kappa"
          testid={id("fleiss_kappa")}
          undefinedText={agreement}
          label="Fleiss' kappa"
          value={s.fleiss_kappa}
        />
        <Stat
          name="krippendorff_alpha"
          testid={id("krippendorff_alpha")}
          undefinedText={agreement}
          label="Krippendorff's alpha (nominal)"
          value={s.krippendorff_alpha}
        />
        <Stat name="gwet_ac1" testid={id("gwet_ac1")} undefinedText={agreement} label="Gwet's AC1" value={s.gwet_ac1} />
        <Stat
          name="mean_pairwise_cohen_kappa"
          testid={id("mean_pairwise_cohen_kappa")}
          undefinedText={agreement}
          label={`Mean pairwise Cohen's kappa (${s.pairwise_cohen.n_pairs_defined} of ${s.pairwise_cohen.n_pairs} pairs)`}
          value={s.mean_pairwise_cohen_kappa}
        />
      </tbody>
    </table>
  );
}

export default async function ResultsPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id } = await params;
  const study = await orNotFound(() => manageableStudy(user, id));
  const r = await studyResults(id);
  const s = r.summary;

  return (
    <section className="space-y-6">
      <p className="text-sm">
        <Link href={`/coordinator/studies/${id}`} className="text-blue-700 underline">
          ← {study.title}
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Results</h1>
        <StatusBadge status={study.status} />
        {study.status === "OPEN" && <AutoRefresh seconds={10} initiallyOn label="Live: refresh" />}
        <div className="ml-auto flex gap-3 text-sm">
          <a
            href={`/api/coordinator/studies/${id}/export.csv`}
            className="rounded border border-slate-400 px-3 py-1"
            data-testid="export-csv"
          >
            Export CSV
          </a>
          <a href={`/api/coordinator/studies/${id}/export.json`} className="rounded border border-slate-400 px-3 py-1">
            Export JSON
          </a>
          <a
            href={`/api/coordinator/studies/${id}/export-tidy.csv`}
            className="rounded border border-slate-400 px-3 py-1"
            data-testid="export-tidy"
          >
            Tidy CSV (R, Python)
          </a>
          <a
            href={`/api/coordinator/studies/${id}/export-spreadsheet.csv`}
            className="rounded border border-slate-400 px-3 py-1"
            data-testid="export-spreadsheet"
          >
            Spreadsheet CSV (Excel)
          </a>
          <a
            href={`/api/coordinator/studies/${id}/report.html`}
            className="rounded border border-slate-400 px-3 py-1"
            data-testid="report"
            target="_blank"
            rel="noopener"
          >
            Report (HTML, PDF)
          </a>
          <a
            href={`/api/coordinator/studies/${id}/export-full.json`}
            className="rounded border border-slate-400 px-3 py-1"
            data-testid="export-full"
          >
            JSON with hanging list
          </a>
        </div>
      </div>
      <p className="text-sm text-slate-700" data-testid="answer-count" data-value={s.n_answers}>
        {plural(s.n_answers, "answer")} from {plural(s.n_readers, "reader")} on {s.n_cases} of{" "}
        {plural(r.cases.length, "case")}. The same numbers come out of{" "}
        <code>npm run -s focus -- stats --input export.csv --json</code>.
      </p>

      {r.leftOut.length > 0 && (
        <p className="text-sm text-amber-800" data-testid="left-out">
          Left out of every statistic:{" "}
          {r.leftOut.map((x) => `${x.readerId} (${x.status}, ${plural(x.answers, "answer")})`).join(", ")}. Their
          answers stay in the tidy export, marked by <code>reader_status</code>.
        </p>
      )}

      {s.n_answers === 0 ? (
        <EmptyState title="No answers yet">
          Statistics appear here as soon as invited readers submit answers.
        </EmptyState>
      ) : (
        <>
          <section className="grid gap-6 lg:grid-cols-2">
            <div>
              <h2 className="mb-2 text-lg font-medium">Choices per arm (95 % Wilson intervals)</h2>
              <ChoiceChart bars={r.bars} />
              <table className="mt-2 w-full border-collapse bg-white text-sm" data-testid="counts-table">
                <thead>
                  <tr className="border-b text-left">
                    <th className="p-2">Arm</th>
                    <th className="p-2">Chosen</th>
                    <th className="p-2">Share</th>
                    <th className="p-2">95 % interval</th>
                  </tr>
                </thead>
                <tbody>
                  {r.bars.map((b) => (
                    <tr key={b.label} className="border-b">
                      <td className="p-2 font-medium">{b.label}</td>
                      <td className="p-2" data-testid={`count-${b.label}`} data-value={b.count}>
                        {b.count}
                      </td>
                      <td className="p-2">{formatPercent(b.share)}</td>
                      <td className="p-2">
                        {formatPercent(b.ciLow)} – {formatPercent(b.ciHigh)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {(r.options.offered.none || r.options.offered.cannotDecide) && (
                <p className="mt-2 text-sm" data-testid="option-counts">
                  Counted apart, outside every statistic over arms:{" "}
                  {r.options.offered.none && (
                    <span data-testid="count-none" data-value={r.options.none}>
                      none of the maps {r.options.none}
                    </span>
                  )}
                  {r.options.offered.none && r.options.offered.cannotDecide && " · "}
                  {r.options.offered.cannotDecide && (
                    <span data-testid="count-cannot-decide" data-value={r.options.cannotDecide}>
                      cannot decide {r.options.cannotDecide}
                    </span>
                  )}
                  .
                </p>
              )}
              <h3 className="mt-4 font-medium">Confidence and time on case, by chosen arm</h3>
              <table className="mt-1 w-full border-collapse bg-white text-sm" data-testid="effort-table">
                <thead>
                  <tr className="border-b text-left">
                    <th className="p-2">Arm</th>
                    <th className="p-2">Confidence mean ± sd (n)</th>
                    <th className="p-2">Median time on case</th>
                  </tr>
                </thead>
                <tbody>
                  {r.perArm.map((a) => (
                    <tr key={a.label} className="border-b">
                      <td className="p-2 font-medium">{a.label}</td>
                      <td
                        className="p-2"
                        data-testid={`confidence-${a.label}`}
                        data-value={JSON.stringify(a.confidenceMean)}
                      >
                        {a.confidenceMean === null
                          ? "—"
                          : `${a.confidenceMean.toFixed(2)} ± ${a.confidenceSd === null ? "—" : a.confidenceSd.toFixed(2)} (${a.confidenceN})`}
                      </td>
                      <td className="p-2" data-testid={`time-${a.label}`} data-value={JSON.stringify(a.timeMedianMs)}>
                        {a.timeMedianMs === null ? "—" : `${(a.timeMedianMs / 1000).toFixed(1)} s`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {r.unchosenArms.length > 0 && (
                <p className="mt-1 text-xs text-slate-600">
                  Not chosen yet: {r.unchosenArms.join(", ")}. The tests below run over the arms chosen at least once,
                  as the CLI does by default; add <code>--choices {r.bars.map((b) => b.label).join(",")}</code> to
                  include them.
                </p>
              )}
            </div>
            <div>
              <h2 className="mb-2 text-lg font-medium">Tests and agreement</h2>
              <StatsTable s={s} />
              {s.notes.length > 0 && (
                <ul className="mt-2 list-disc pl-5 text-xs text-slate-600">
                  {s.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
              <IntraReaderStats agreement={r.intraReader} bySpecialty={r.intraReaderBySpecialty} k={r.repeatedCases} />
              {r.localisation && (
                <div className="mt-4 rounded border border-slate-200 bg-white p-3 text-sm" data-testid="localisation">
                  <h3 className="font-medium">Objective localisation (energy inside the lesion mask)</h3>
                  <p>
                    Readers chose an arm with the best energy in mask in <strong>{r.localisation.bestChosen}</strong> of{" "}
                    {r.localisation.answersConsidered} answers ({formatPercent(r.localisation.share)}; random choice
                    would give {formatPercent(r.localisation.chanceShare)}).
                  </p>
                  <p className="text-xs text-slate-600">
                    Best-localising arm per case:{" "}
                    {Object.entries(r.localisation.bestCasesByArm)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(", ")}
                    .
                  </p>
                </div>
              )}
            </div>
          </section>

          {r.bySpecialty.length > 0 && (
            <section>
              <h2 className="mb-2 text-lg font-medium">By specialty</h2>
              <div className="grid gap-4 md:grid-cols-2">
                {r.bySpecialty.map((g) => (
                  <div
                    key={g.group}
                    className="rounded border border-slate-200 bg-white p-3"
                    data-testid={`specialty-${g.group}`}
                  >
                    <h3 className="font-medium capitalize">
                      {g.group} · {g.n_readers} reader{g.n_readers === 1 ? "" : "s"} · {g.summary.n_answers} answers
                    </h3>
                    <p className="text-sm">
                      {Object.entries(g.summary.counts)
                        .map(([k, v]) => `${k} ${v}`)
                        .join(" · ")}
                    </p>
                    <StatsTable s={g.summary} prefix={`${g.group}-`} />
                  </div>
                ))}
              </div>
            </section>
          )}
        </>
      )}

      <QuestionStats questions={r.questions} />

      <section>
        <h2 className="mb-2 text-lg font-medium">Per case</h2>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse bg-white text-sm" data-testid="case-table">
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">Case</th>
                <th className="p-2">Image</th>
                <th className="p-2">Label</th>
                <th className="p-2">Readers' choices</th>
                <th className="p-2">Majority</th>
                <th className="p-2">Agreement</th>
                <th className="p-2">Best localisation</th>
              </tr>
            </thead>
            <tbody>
              {r.cases.map((c) => (
                <tr key={c.caseId} className="border-b align-top">
                  <td className="p-2">{c.caseNumber}</td>
                  <td className="p-2">
                    {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                    <img
                      src={`/api/coordinator/images/${c.imageId}`}
                      alt={`Case ${c.caseNumber}`}
                      loading="lazy"
                      className="h-12 w-12 rounded border object-contain [image-rendering:pixelated]"
                    />
                  </td>
                  <td className="p-2">{c.imageLabel}</td>
                  <td className="p-2">
                    {c.choices.length + c.options.length === 0
                      ? "—"
                      : c.choices.map((x) => (
                          <span key={x.readerId} className="mr-2 inline-block">
                            <span className="font-mono text-xs text-slate-500">{x.readerId}</span> {x.slot} → {x.choice}
                          </span>
                        ))}
                    {c.options.map((x) => (
                      <span key={x.readerId} className="mr-2 inline-block italic">
                        <span className="font-mono text-xs text-slate-500">{x.readerId}</span> {OPTION_TEXT[x.option]}
                      </span>
                    ))}
                  </td>
                  <td className="p-2">{c.majority ?? (c.tied.length ? `tie: ${c.tied.join(", ")}` : "—")}</td>
                  <td className="p-2">{c.choices.length < 2 ? NEEDS_TWO_READERS : formatPercent(c.agreementShare)}</td>
                  <td className="p-2">{c.bestLocalised.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Rationales (paper table)</h2>
        {r.rows.length === 0 ? (
          <p className="text-sm text-slate-600">No answers yet.</p>
        ) : (
          <table className="w-full border-collapse bg-white text-sm" data-testid="paper-table">
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">Case</th>
                <th className="p-2">Reader</th>
                <th className="p-2">Slot seen</th>
                <th className="p-2">Chosen model</th>
                <th className="p-2">Rationale</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row) => (
                <tr key={`${row.case_id}|${row.reader_id}`} className="border-b align-top">
                  <td className="p-2">{row.case_number}</td>
                  <td className="p-2 font-mono text-xs">{row.reader_id}</td>
                  <td className="p-2 font-mono" data-testid="rationale-slot">
                    {row.chosen_slot}
                  </td>
                  <td className="p-2 font-medium">
                    {row.choice_option === "" ? row.choice : OPTION_TEXT[row.choice_option]}
                  </td>
                  <td className="whitespace-pre-wrap p-2">{row.rationale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
