// The page's Content Security Policy. Scripts run only from this origin or with the request's nonce, so an
// injected inline script (an XSS) does not run. Next.js reads the nonce back from the request's
// Content-Security-Policy header and puts it on its own inline bootstrap scripts; pages are rendered per
// request, so every response gets a fresh nonce.
// Styles keep 'unsafe-inline': React writes `style` attributes, which a nonce cannot cover, and CSS cannot run
// script.

/** 16 random bytes, base64: unguessable and in the nonce-source alphabet. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    // 'strict-dynamic' lets the nonced bootstrap load Next's chunks; dev mode's React needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}
