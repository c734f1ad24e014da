import { blindFileRoute } from "@/lib/http/blind-response";

export const dynamic = "force-dynamic";

// A slot's raw class-activation map: a fixed-length binary, the same size for every model (see lib/blinding).
export const GET = blindFileRoute("cam");
