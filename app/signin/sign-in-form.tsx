"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Email or password is not right.",
};

// "RateLimited:<seconds>" from lib/auth/options.ts: each failure past the first few doubles the wait.
function messageFor(code: string): string {
  const wait = /^RateLimited:(\d+)$/.exec(code);
  if (wait) {
    const s = Number(wait[1]);
    return `Too many failed attempts. Try again in ${s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`}.`;
  }
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}

export function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("staff", { email: form.get("email"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (!res || res.error) {
      setError(messageFor(res?.error ?? ""));
      return;
    }
    window.location.assign("/");
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-4 space-y-3" noValidate>
      <label className="block text-sm font-medium">
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5"
        />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
