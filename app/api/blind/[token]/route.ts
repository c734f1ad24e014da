import { currentUser } from "@/lib/auth/session";
import { resolveBlindToken } from "@/lib/studies/reader-survey";
import { blindNotFound, streamedBlindResponse } from "@/lib/http/blind-response";

export const dynamic = "force-dynamic";

// The original (display copy) of a case, or a slot's pre-blended overlay PNG (heat-maps without a raw map).
export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  if (!user || user.role !== "SPECIALIST" || !user.invitation) return blindNotFound();
  const found = await resolveBlindToken(user.id, token, user.invitation.studyId);
  if (!found) return blindNotFound();
  return streamedBlindResponse(found.key);
}
