"use client";
// Re-renders the server page on an interval: live results while readers answer or runs train.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";

export function AutoRefresh({
  seconds = 3,
  initiallyOn = false,
  label = "Refresh",
}: {
  seconds?: number;
  initiallyOn?: boolean;
  label?: string;
}) {
  const router = useRouter();
  const [on, setOn] = useState(initiallyOn);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(t);
  }, [on, seconds, router]);
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> {label} every {seconds} s
    </label>
  );
}
