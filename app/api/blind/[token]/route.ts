import { currentUser } from "@/lib/auth/session";
import { resolveBlindToken } from "@/lib/studies/reader-survey";
import { getBytes } from "@/lib/storage/content-store";
import { pngResponse } from "@/lib/http/png-response";

export const dynamic = "force-dynamic";

// The same bare 404 for a missing token, another reader's token, a revoked reader or anyone else:
// nothing distinguishes "exists but not yours".
const notFound = () =>
  new Response("Not found", {
    status: 404,
    headers: { "Cache-Control": "private, no-store", "Content-Type": "text/plain" },
  });

export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  if (!user || user.role !== "SPECIALIST" || !user.invitation) return notFound();
  const found = await resolveBlindToken(user.id, token, user.invitation.studyId);
  if (!found) return notFound();
  const bytes = await getBytes(found.key).catch(() => null);
  if (!bytes) return notFound();
  return pngResponse(bytes, "private, no-store");
}
