import { blindFileRoute } from "@/lib/http/blind-response";

export const dynamic = "force-dynamic";

// The original (display copy) of a case, or a slot's pre-blended overlay PNG (heat-maps without a raw map).
export const GET = blindFileRoute("picture");
