// The raw class-activation map of slot A-F in the coordinator's reader preview (the original has none); drawn in
// the browser as on the reader's page. Only the study's coordinators (or an admin) get it, never stored or cached.
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
    if (!/^\d{1,6}$/.test(n) || !/^[A-F]$/.test(slot)) throw DomainError.notFound("No such map.");
    return storedFileResponse(await previewImageKey(studyId, Number(n), slot, "cam"));
  });
}
