// The pictures of the coordinator's reader preview: the original ("original") or the map in slot A-F of the
// preview's slot order. Only the study's coordinators (or an admin) get them, never stored or cached.
import { handle } from "@/lib/http/handler";
import { managedStudyContext } from "@/lib/http/coordinator-route";
import { storedFileResponse } from "@/lib/http/blind-response";
import { previewImageKey } from "@/lib/studies/reader-preview";
import { DomainError } from "@/lib/errors/domain-error";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ id: string; n: string; slot: string }> }) {
  return handle(async () => {
    const { studyId } = await managedStudyContext(params);
    const { n, slot } = await params;
    if (!/^\d{1,6}$/.test(n) || !/^(original|[A-F])$/.test(slot)) throw DomainError.notFound("No such picture.");
    const key = await previewImageKey(studyId, Number(n), slot);
    return storedFileResponse(key);
  });
}
