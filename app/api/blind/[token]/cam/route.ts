import { currentUser } from "@/lib/auth/session";
import { resolveBlindToken } from "@/lib/studies/reader-survey";
import { blindNotFound, streamedBlindResponse } from "@/lib/http/blind-response";

export const dynamic = "force-dynamic";

// A slot's raw class-activation map: a fixed-length binary, the same size for every model (see lib/blinding).
export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  if (!user || user.role !== "SPECIALIST" || !user.invitation) return blindNotFound();
  const found = await resolveBlindToken(user.id, token, user.invitation.studyId, "cam");
  if (!found) return blindNotFound();
  return streamedBlindResponse(found.key);
}
