"use client";
import { useEffect, useRef, useState } from "react";
import { signIn } from "next-auth/react";

const MESSAGES: Record<string, string> = {
  InvitationUsed: "This invitation link has already been used. Ask your study coordinator for a new link.",
  InvitationExpired: "This invitation link has expired. Ask your study coordinator for a new link.",
  InvitationRevoked: "This invitation link was withdrawn by the study coordinator.",
  InvitationRateLimited: "Too many attempts from this network. Wait 15 minutes and try again.",
  InvitationInvalid: "This invitation link is not valid. Check that you copied all of it.",
};

// The link is consumed once: sign-in happens on load, and the token is then useless to anyone else.
export function InvitationSignIn({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void signIn("invitation", { token, redirect: false }).then((res) => {
      if (!res || res.error) setError(MESSAGES[res?.error ?? ""] ?? MESSAGES.InvitationInvalid);
      else window.location.replace("/surveys");
    });
  }, [token]);
  if (error) return <p role="alert" className="mt-3 text-red-700">{error}</p>;
  return <p className="mt-3 text-slate-600" aria-live="polite">Opening your studies…</p>;
}
