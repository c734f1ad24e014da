import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { HOME_BY_ROLE } from "@/lib/auth/roles";
import { mailEnabled } from "@/lib/studies/invitations-reentry";
import { RequestLinkForm } from "./request-link-form";

export const dynamic = "force-dynamic";

// Where a reader lands when they signed out, changed device or their session expired.
export default async function ReaderComeBack() {
  const user = await currentUser();
  if (user) redirect(HOME_BY_ROLE[user.role]);
  const mail = mailEnabled();
  return (
    <div className="mx-auto mt-10 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Back to your reader study</h1>
      <p className="mt-2 text-sm">
        Your answers and drafts are saved. Your first invitation link works only once, so use one of these ways back:
      </p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
        <li>
          Open the re-entry link your study coordinator gave you. If you have none, ask them: they can copy one for your
          invitation at any time.
        </li>
        {mail ? (
          <li>Or have a sign-in link emailed to you:</li>
        ) : (
          <li>Sign-in links by email are not set up on this server.</li>
        )}
      </ul>
      {mail && <RequestLinkForm />}
    </div>
  );
}
