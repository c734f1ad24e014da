import { InvitationSignIn } from "../../invite/[token]/invitation-sign-in";
import { mailEnabled } from "@/lib/studies/invitations-reentry";

export const dynamic = "force-dynamic";

// A re-entry link (copied by the coordinator) or an emailed sign-in link: back into the same invitation.
export default async function ReenterPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <div className="mx-auto mt-10 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Welcome back to Focus</h1>
      <InvitationSignIn token={token} provider="reentry" mailEnabled={mailEnabled()} />
    </div>
  );
}
