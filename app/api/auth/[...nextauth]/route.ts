import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { readBody } from "@/lib/http/body";
import { BODY_LIMITS } from "@/lib/http/body-limits";
import { handle } from "@/lib/http/handler";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// next-auth v4 types its route handler as `any`.
const handler = NextAuth(authOptions) as (req: NextRequest, ctx: Ctx) => Promise<Response>;

// next-auth reads the body with req.text()/req.json(), which would hold any amount in memory before the
// credentials are even looked at; it gets the body only after it has been read within its limit.
export function POST(req: NextRequest, ctx: Ctx) {
  return handle(async () => {
    const body = await readBody(req, BODY_LIMITS.auth);
    const headers = new Headers(req.headers);
    headers.delete("transfer-encoding");
    headers.set("content-length", String(body.length));
    return handler(new NextRequest(req.url, { method: "POST", headers, body: new Blob([new Uint8Array(body)]) }), ctx);
  });
}

export { handler as GET };
