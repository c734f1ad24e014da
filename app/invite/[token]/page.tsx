import { InvitationSignIn } from "./invitation-sign-in";
import { mailEnabled } from "@/lib/studies/invitations-reentry";

export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <div className="mx-auto mt-10 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Welcome to Focus</h1>
      <InvitationSignIn token={token} mailEnabled={mailEnabled()} />
    </div>
  );
}
