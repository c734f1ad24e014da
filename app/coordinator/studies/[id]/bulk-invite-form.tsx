"use client";
// Bulk invite: paste rows or choose a CSV of email, name, specialty; preview what each row does, then invite.
import { startTransition, useActionState, useRef, useState } from "react";
import type { StudyFormState } from "../actions";
import { OneTimeLink } from "./action-button";
import { emailOutcomeMessage } from "@/lib/mail/email-outcome";
import type { BulkRowResult } from "@/lib/studies/bulk-invite";

const initial: StudyFormState = { ok: false, message: "" };

function outcomeText(r: BulkRowResult): string {
  const o = r.outcome;
  switch (o.kind) {
    case "new":
      return "will be invited";
    case "invited":
      return "invited";
    case "existing":
      return (
        `already invited as ${o.readerName} (${o.specialty.toLowerCase()}): nothing is re-issued or changed` +
        (o.specialtyDiffers
          ? `; the specialty stays ${o.specialty.toLowerCase()}, not ${r.specialty.toLowerCase()}`
          : "")
      );
    case "refused":
      return `not invited: ${o.reason}`;
  }
}

export function BulkInviteForm({
  action,
  mailOn,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  mailOn: boolean;
}) {
  const [state, dispatch, pending] = useActionState(action, initial);
  const [list, setList] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const send = (intent: "preview" | "invite") => {
    const data = new FormData();
    data.set("list", list);
    data.set("intent", intent);
    startTransition(() => dispatch(data));
  };
  const bulk = state.bulk;
  const fresh = bulk && !bulk.committed ? bulk.rows.filter((r) => r.outcome.kind === "new").length : 0;
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4">
      <summary className="cursor-pointer font-medium">Invite many readers (list or CSV)</summary>
      <form ref={formRef} className="mt-3 space-y-2" onSubmit={(e) => e.preventDefault()}>
        <p className="text-sm text-slate-600">
          One reader per line: <code>email, name, specialty</code> (dermatology, radiology or other), separated by
          commas, semicolons or tabs; a first line <code>email,name,specialty</code> is read as a header. An email the
          study already has is left as it is.
        </p>
        <label className="block text-sm">
          Readers
          <textarea
            name="list"
            value={list}
            onChange={(e) => setList(e.target.value)}
            rows={5}
            className="mt-1 block w-full rounded border border-slate-300 p-1.5 font-mono text-xs"
          />
        </label>
        <label className="block text-sm">
          or a CSV file{" "}
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/plain"
            aria-label="CSV file of readers"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void file.text().then(setList);
            }}
          />
        </label>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            disabled={pending || list.trim() === ""}
            onClick={() => send("preview")}
            className="rounded border border-slate-400 px-3 py-1 text-sm disabled:opacity-50"
          >
            Preview
          </button>
          {bulk && !bulk.committed && fresh > 0 && (
            <button
              type="button"
              disabled={pending}
              onClick={() => send("invite")}
              className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-50"
            >
              Invite {fresh} reader{fresh === 1 ? "" : "s"}
            </button>
          )}
        </div>
        {!mailOn && (
          <p className="text-xs text-slate-600">
            Mail is not configured (FOCUS_SMTP_URL), so no email is sent: copy each link and send it yourself.
          </p>
        )}
        {state.message && (
          <p
            role={state.ok ? "status" : "alert"}
            className={state.ok ? "text-sm text-green-800" : "text-sm text-red-700"}
          >
            {state.message}
          </p>
        )}
        {bulk && (bulk.rows.length > 0 || bulk.errors.length > 0) && (
          <table className="w-full border-collapse text-sm" data-testid="bulk-rows">
            <thead>
              <tr className="border-b text-left">
                <th className="p-1">Line</th>
                <th className="p-1">Reader</th>
                <th className="p-1">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...bulk.errors.map((e) => ({ line: e.line, error: e.message, row: null })),
                ...bulk.rows.map((r) => ({ line: r.line, error: null, row: r })),
              ]
                .sort((a, b) => a.line - b.line)
                .map(({ line, error, row }) => (
                  <tr key={line} className="border-b align-top" data-testid={`bulk-line-${line}`}>
                    <td className="p-1">{line}</td>
                    <td className="p-1">{row ? `${row.name} <${row.email}> · ${row.specialty.toLowerCase()}` : "—"}</td>
                    <td className="p-1">
                      {error ? (
                        <span className="text-red-700">{error}</span>
                      ) : (
                        <>
                          {outcomeText(row!)}
                          {row!.outcome.kind === "invited" && (
                            <>
                              {bulk.emails[row!.outcome.invitationId] && (
                                <span className="block text-xs text-slate-600">
                                  {emailOutcomeMessage(bulk.emails[row!.outcome.invitationId])}
                                </span>
                              )}
                              <OneTimeLink
                                link={row!.outcome.link}
                                label={`Invitation link for ${row!.email}`}
                                testId="bulk-invitation-link"
                              />
                            </>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </form>
    </details>
  );
}
