// Dataset images for coordinators' galleries and result tables (readers only ever get blinded tokens).
import { requireApiRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handler";
import { DomainError } from "@/lib/errors/domain-error";
import { storedPngResponse } from "@/lib/http/png-response";

export const dynamic = "force-dynamic";

export function GET(_req: Request, { params }: { params: Promise<{ imageId: string }> }) {
  return handle(async () => {
    await requireApiRole("COORDINATOR", "ADMIN");
    const { imageId } = await params;
    const image = await db().image.findUnique({ where: { id: imageId }, select: { fileKey: true } });
    if (!image) throw DomainError.notFound("No such image.");
    return storedPngResponse(image.fileKey, "image");
  });
}
