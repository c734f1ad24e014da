// Study settings about running the study rather than what a reader answers: case order, repeated cases and
// invitation expiry.
// Kept apart from settings-fields.tsx so that changes to the question settings and these do not collide.
import {
  MAX_INVITATION_EXPIRY_DAYS,
  MIN_INVITATION_EXPIRY_DAYS,
  type StudySettings,
} from "@/lib/studies/study-settings";
import { MAX_CASES } from "@/lib/studies/study-limits";

export function OperationsFields({
  settings,
  error,
}: {
  settings: StudySettings;
  error: (field: keyof StudySettings) => string | undefined;
}) {
  return (
    <>
      <label className="text-sm">
        Case order
        <select
          name="caseOrder"
          defaultValue={settings.caseOrder}
          className="mt-1 block rounded border border-slate-300 px-2 py-1"
        >
          <option value="random">Random per reader (seeded, stored)</option>
          <option value="fixed">Fixed: every reader in the study&apos;s order</option>
        </select>
        <span className="block text-xs text-slate-600">
          A per-reader order spreads fatigue and learning effects over the cases; exports record each reader&apos;s
          order.
        </span>
        {error("caseOrder") && <span className="block text-xs text-red-700">{error("caseOrder")}</span>}
      </label>
      <label className="text-sm">
        Repeated cases
        <input
          name="repeatedCases"
          type="number"
          min={0}
          max={MAX_CASES}
          defaultValue={settings.repeatedCases}
          className="mt-1 block w-32 rounded border border-slate-300 px-2 py-1"
        />
        <span className="block text-xs text-slate-600">
          Each reader reads this many of the cases (seeded per reader) again after the last one, with a fresh slot order
          and not marked as repeats, for intra-reader agreement (Cohen&apos;s kappa). 0 = none; at most the number of
          cases.
        </span>
        {error("repeatedCases") && <span className="block text-xs text-red-700">{error("repeatedCases")}</span>}
      </label>
      <label className="text-sm">
        Invitation links expire after (days)
        <input
          name="invitationExpiryDays"
          type="number"
          min={MIN_INVITATION_EXPIRY_DAYS}
          max={MAX_INVITATION_EXPIRY_DAYS}
          defaultValue={settings.invitationExpiryDays}
          className="mt-1 block w-32 rounded border border-slate-300 px-2 py-1"
        />
        {error("invitationExpiryDays") && (
          <span className="block text-xs text-red-700">{error("invitationExpiryDays")}</span>
        )}
      </label>
    </>
  );
}
