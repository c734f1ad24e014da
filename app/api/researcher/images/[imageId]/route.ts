// Dataset images (and their masks) for the researcher console's galleries.
import { requireApiRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handler";
import { DomainError } from "@/lib/errors/domain-error";
import { storedPngResponse } from "@/lib/http/png-response";
import { z } from "zod";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["image", "mask"], { error: "kind must be image or mask" }).default("image"),
});

export function GET(req: Request, { params }: { params: Promise<{ imageId: string }> }) {
  return handle(async () => {
    await requireApiRole("RESEARCHER", "ADMIN");
    const { imageId } = await params;
    const { kind } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const image = await db().image.findUnique({ where: { id: imageId }, select: { fileKey: true, maskKey: true } });
    if (!image) throw DomainError.notFound("No such image.");
    const key = kind === "mask" ? image.maskKey : image.fileKey;
    if (!key) throw DomainError.notFound("This image has no mask.");
    return storedPngResponse(key, "image");
  });
}
