import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Not available to your role</h1>
      <p className="mt-2 text-slate-600">This page belongs to another role. Nothing from it was shown.</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Go to your home page
      </Link>
    </div>
  );
}
