export function FieldError({ error }: { error?: string }) {
  return error ? <span className="mt-1 block text-xs font-normal text-red-700">{error}</span> : null;
}

export function FormMessage({ ok, message }: { ok: boolean; message: string }) {
  if (!message) return null;
  return (
    <p role={ok ? "status" : "alert"} className={`text-sm ${ok ? "text-green-700" : "text-red-700"}`}>
      {message}
    </p>
  );
}

export const inputClass = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-normal";
