// Runs before every page and route: gives each request its own CSP nonce (see
// lib/http/content-security-policy.ts). The other security headers are static and live in next.config.js.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "./lib/http/content-security-policy";

// PostgreSQL cannot store or compare NUL in text: an id or query value with %00 would fail in the database (a 500)
// wherever a route or page uses it. Body fields are refused by their schemas (lib/validation/text.ts).
const ENCODED_NUL = /%00/i;

export function proxy(request: NextRequest) {
  if (ENCODED_NUL.test(request.nextUrl.pathname) || ENCODED_NUL.test(request.nextUrl.search)) {
    return NextResponse.json(
      { error: "The address contains a NUL character (%00)." },
      { status: 400, headers: { "Cache-Control": "private, no-store" } },
    );
  }
  // Prefetches are not rendered pages, and API answers (JSON, PNG) run no script: they need no nonce (they run
  // through here only for the check above).
  if (
    request.nextUrl.pathname.startsWith("/api/") ||
    request.headers.get("next-router-prefetch") !== null ||
    request.headers.get("purpose") === "prefetch"
  ) {
    return NextResponse.next();
  }
  const policy = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    // Pages (static files are the same for everyone and carry no markup).
    "/((?!api/|_next/static|_next/image|favicon.ico).*)",
    // API requests only when they carry no body, and never /api/blind/ (the reader's most frequent request, five
    // per case, whose route admits only token characters, so a %00 there is a plain 404 without this pass): wherever the proxy runs, Next.js buffers the request body in
    // memory for it (up to 10 MB, then passes the route a truncated body), which would defeat the routes'
    // streamed body limits (lib/http/body.ts) and cut large zip uploads short.
    {
      source: "/api/((?!blind/).*)",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
