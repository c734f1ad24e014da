// One run on its held-out test split: AUC with DeLong's 95 % interval, then sensitivity, specificity and the
// confusion matrix at 0.5 and at the threshold chosen on validation (Youden's J).
import type { StoredTestEvaluation } from "@/lib/db/json-columns";
import { formatAuc, formatNumber } from "../format";

type Point = StoredTestEvaluation["atHalf"];

function rate(r: Point["sensitivity"]): string {
  if (r.value === null) return "—";
  return `${formatNumber(r.value)}${r.ci ? ` [${formatNumber(r.ci.low)}, ${formatNumber(r.ci.high)}]` : ""}`;
}

function PointRow({ name, point, testid }: { name: string; point: Point; testid: string }) {
  const c = point.confusion;
  return (
    <tr className="border-b" data-testid={testid}>
      <td className="p-2">{name}</td>
      <td className="p-2 font-mono">{formatNumber(point.threshold)}</td>
      <td className="p-2 font-mono">{rate(point.sensitivity)}</td>
      <td className="p-2 font-mono">{rate(point.specificity)}</td>
      <td className="p-2 font-mono" data-testid={`${testid}-confusion`}>
        TP {c.truePositive} · FN {c.falseNegative} · TN {c.trueNegative} · FP {c.falsePositive}
      </td>
    </tr>
  );
}

export function TestEvaluation({ evaluation }: { evaluation: StoredTestEvaluation }) {
  const auc = evaluation.auc;
  return (
    <div className="space-y-2 text-sm" data-testid="test-evaluation">
      <p>
        <span className="font-medium">Test AUC: </span>
        <span className="font-mono" data-testid="run-test-auc" data-value={JSON.stringify(auc?.auc ?? null)}>
          {auc ? formatAuc(auc.auc) : "— (the test split lacks a class)"}
        </span>
        {auc?.ci && (
          <span className="font-mono text-slate-700">
            {" "}
            (95 % CI {formatAuc(auc.ci.low)}–{formatAuc(auc.ci.high)}, DeLong)
          </span>
        )}
        <span className="text-slate-600">
          {" "}
          on {evaluation.images} test images ({evaluation.positives} positive, {evaluation.negatives} negative)
        </span>
      </p>
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Threshold rule</th>
            <th className="p-2">Threshold</th>
            <th className="p-2">Sensitivity [95 % CI]</th>
            <th className="p-2">Specificity [95 % CI]</th>
            <th className="p-2">Confusion matrix</th>
          </tr>
        </thead>
        <tbody>
          <PointRow name="0.5" point={evaluation.atHalf} testid="test-at-half" />
          {evaluation.atValidationYouden ? (
            <PointRow name="Youden's J on validation" point={evaluation.atValidationYouden} testid="test-at-youden" />
          ) : (
            <tr className="border-b">
              <td className="p-2" colSpan={5}>
                Youden&apos;s J on validation: — (the validation split lacks a class)
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="text-xs text-slate-600">
        A probability at or above the threshold is called positive. Sensitivity and specificity intervals are Wilson
        score intervals. The second threshold is chosen on the validation split, never on the test split.
      </p>
    </div>
  );
}
