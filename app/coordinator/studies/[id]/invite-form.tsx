"use client";
import { startTransition, useActionState, useRef } from "react";
import type { StudyFormState } from "../actions";
import { FieldError } from "../settings-fields";
import { ActionButton, OneTimeLink } from "./action-button";
import { emailOutcomeMessage } from "@/lib/mail/email-outcome";

const initial: StudyFormState = { ok: false, message: "" };

type InvitationAction = (invitationId: string, prev: StudyFormState) => Promise<StudyFormState>;

function invitationStatus(e: NonNullable<StudyFormState["existing"]>): string {
  if (e.status === "REVOKED") return "revoked (it stays revoked; inviting again does not restore access)";
  if (e.linkUsed) return "accepted: the reader has opened the link";
  return new Date(e.expiresAt) < new Date() ? "link expired, not used" : "link not yet used";
}

export function InviteForm({
  action,
  reissue,
  reentry,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  reissue: InvitationAction;
  reentry: InvitationAction;
}) {
  const [state, dispatch, pending] = useActionState(action, initial);
  const formRef = useRef<HTMLFormElement>(null);
  const err = (k: string) => state.fieldErrors?.[k];
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <form
        ref={formRef}
        noValidate
        className="grid gap-3 sm:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          startTransition(() => dispatch(data));
        }}
      >
        <h3 className="font-medium sm:col-span-4">Invite a reader</h3>
        <label className="text-sm">
          Reader email
          <input name="email" type="email" className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
          <FieldError error={err("email")} />
        </label>
        <label className="text-sm">
          Reader name
          <input name="name" className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
          <FieldError error={err("name")} />
        </label>
        <label className="text-sm">
          Specialty
          <select
            name="specialty"
            defaultValue="DERMATOLOGY"
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          >
            <option value="DERMATOLOGY">Dermatology</option>
            <option value="RADIOLOGY">Radiology</option>
            <option value="OTHER">Other</option>
          </select>
          <FieldError error={err("specialty")} />
        </label>
        <div className="flex items-end">
          <button disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 text-white disabled:opacity-60">
            {pending ? "Inviting…" : "Invite"}
          </button>
        </div>
      </form>
      {state.message && (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-2 text-sm ${state.ok ? "text-green-700" : "text-red-700"}`}
        >
          {state.message}
        </p>
      )}
      {state.email && (
        <p
          role={state.email.sent ? "status" : "alert"}
          data-testid="invitation-email"
          className={`mt-2 text-sm ${state.email.sent ? "text-green-700" : "text-amber-700"}`}
        >
          {emailOutcomeMessage(state.email)}
        </p>
      )}
      {state.link && <OneTimeLink link={state.link} />}
      {state.existing && (
        <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="existing-invitation">
          <p>
            <strong>{state.existing.readerName}</strong> ({state.existing.email}) already has an invitation to this
            study: <span data-testid="existing-status">{invitationStatus(state.existing)}</span>. Nothing was changed.
          </p>
          {state.existing.status !== "REVOKED" && (
            <div className="mt-2 flex flex-wrap gap-3">
              <ActionButton
                key={`r-${state.existing.invitationId}`}
                action={reentry.bind(null, state.existing.invitationId)}
                label="Copy a re-entry link"
                linkLabel="Re-entry link"
              />
              <ActionButton
                key={`i-${state.existing.invitationId}`}
                action={reissue.bind(null, state.existing.invitationId)}
                label="Re-issue invitation link"
                confirmText="Issue a new invitation link? The current one stops working."
              />
            </div>
          )}
        </div>
      )}
    </div>
  );
}
