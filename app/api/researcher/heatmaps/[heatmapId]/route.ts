// Heat-map PNGs (jet overlay or bare map) for the researcher console; researchers are not blinded.
import { requireApiRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handler";
import { DomainError } from "@/lib/errors/domain-error";
import { storedPngResponse } from "@/lib/http/png-response";
import { z } from "zod";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["overlay", "map"], { error: "kind must be overlay or map" }).default("overlay"),
});

export function GET(req: Request, { params }: { params: Promise<{ heatmapId: string }> }) {
  return handle(async () => {
    await requireApiRole("RESEARCHER", "ADMIN");
    const { heatmapId } = await params;
    const { kind } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const heatmap = await db().heatmap.findUnique({
      where: { id: heatmapId },
      select: { overlayKey: true, mapKey: true },
    });
    if (!heatmap) throw DomainError.notFound("No such heat-map.");
    return storedPngResponse(kind === "map" ? heatmap.mapKey : heatmap.overlayKey, "heat-map");
  });
}
