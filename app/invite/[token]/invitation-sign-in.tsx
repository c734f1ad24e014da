"use client";
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { signIn } from "next-auth/react";

type Failure = { text: string; comeBack: boolean };

const MESSAGES: Record<string, Failure> = {
  InvitationUsed: {
    text: "This invitation link has already been used, so it cannot sign you in again.",
    comeBack: true,
  },
  InvitationExpired: { text: "This invitation link has expired.", comeBack: true },
  InvitationRevoked: { text: "This invitation was withdrawn by the study coordinator.", comeBack: false },
  InvitationRateLimited: {
    text: "Too many attempts from this network. Wait a minute and try again.",
    comeBack: false,
  },
  InvitationInvalid: { text: "This invitation link is not valid. Check that you copied all of it.", comeBack: true },
  ReentryUsed: { text: "This sign-in link has already been used; each emailed link works once.", comeBack: true },
  ReentryExpired: { text: "This sign-in link has expired.", comeBack: true },
  ReentryRevoked: {
    text: "This link was withdrawn by the study coordinator, or replaced by a newer one.",
    comeBack: true,
  },
  ReentryRateLimited: { text: "Too many attempts from this network. Wait a minute and try again.", comeBack: false },
  ReentryInvalid: { text: "This link is not valid. Check that you copied all of it.", comeBack: true },
};

/** What a reader can do to get back in; shown wherever a link or a session did not work. */
export function ComeBackSteps({ mailEnabled }: { mailEnabled: boolean }) {
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="come-back">
      <p>Your answers and drafts are saved. To continue:</p>
      <ul className="list-disc space-y-1 pl-5">
        {mailEnabled && (
          <li>
            <Link href="/signin/reader" className="text-blue-700 underline">
              Get a sign-in link by email
            </Link>{" "}
            (sent to the address you were invited with).
          </li>
        )}
        <li>Or ask your study coordinator for a re-entry link: they can copy one for your invitation at any time.</li>
      </ul>
    </div>
  );
}

// The link is used on load: sign-in happens at once, and a single-use token is then useless to anyone else.
export function InvitationSignIn({
  token,
  provider = "invitation",
  mailEnabled,
}: {
  token: string;
  provider?: "invitation" | "reentry";
  mailEnabled: boolean;
}) {
  const [error, setError] = useState<Failure | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const fallback = provider === "invitation" ? "InvitationInvalid" : "ReentryInvalid";
    void signIn(provider, { token, redirect: false }).then((res) => {
      if (!res || res.error) setError(MESSAGES[res?.error ?? ""] ?? MESSAGES[fallback]);
      else window.location.replace("/surveys");
    });
  }, [token, provider]);
  if (error) {
    return (
      <div role="alert" className="mt-3">
        <p className="text-red-700">{error.text}</p>
        {error.comeBack && <ComeBackSteps mailEnabled={mailEnabled} />}
      </div>
    );
  }
  return (
    <p className="mt-3 text-slate-600" aria-live="polite">
      Opening your study…
    </p>
  );
}
