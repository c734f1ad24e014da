"use client";
import { useRef } from "react";
import { signOut } from "next-auth/react";

const buttonStyle = "rounded border border-slate-300 px-2 py-1 hover:bg-slate-100";

/** Readers confirm first, and are told how to come back: their invitation link works only once. */
export function SignOutButton({ reader }: { reader?: { mailEnabled: boolean } }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const leave = () => signOut({ callbackUrl: reader ? "/signin/reader" : "/signin" });
  if (!reader) {
    return (
      <button type="button" onClick={() => void leave()} className={buttonStyle}>
        Sign out
      </button>
    );
  }
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} className={buttonStyle}>
        Sign out
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="sign-out-title"
        className="max-w-md rounded-lg border border-slate-300 p-5 text-sm backdrop:bg-black/40"
      >
        <h2 id="sign-out-title" className="text-lg font-semibold">
          Sign out of Focus?
        </h2>
        <p className="mt-2">
          Your answers and drafts are saved. Your invitation link will not sign you in again. To come back:
        </p>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>open the re-entry link your study coordinator gives you (ask them for one),</li>
          {reader.mailEnabled && <li>or get a sign-in link by email on the page shown after signing out.</li>}
        </ul>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" autoFocus onClick={() => dialog.current?.close()} className={buttonStyle}>
            Stay signed in
          </button>
          <button type="button" onClick={() => void leave()} className="rounded bg-slate-900 px-3 py-1 text-white">
            Sign out
          </button>
        </div>
      </dialog>
    </>
  );
}
