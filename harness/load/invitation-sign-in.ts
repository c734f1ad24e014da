// Signs a reader in the way the browser does (next-auth v4 credentials provider "invitation"):
// fetch the CSRF token (which also sets the CSRF cookie), then POST it with the invitation token.
import { CookieJar, request } from "./http-client";

export function tokenOfLink(link: string): string {
  const token = new URL(link).pathname.split("/").pop();
  if (!token) throw new Error(`No token in ${link}`);
  return token;
}

export async function signInWithInvitation(base: string, link: string, jar = new CookieJar()): Promise<CookieJar> {
  const csrf = await request(base, "GET", "/api/auth/csrf", { jar });
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf: ${csrf.status}`);
  const { csrfToken } = JSON.parse(csrf.body.toString()) as { csrfToken: string };
  const form = new URLSearchParams({
    csrfToken,
    token: tokenOfLink(link),
    callbackUrl: `${base}/surveys`,
    json: "true",
  }).toString();
  const res = await request(base, "POST", "/api/auth/callback/invitation", {
    jar,
    body: form,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 200 || !jar.get("next-auth.session-token")) {
    throw new Error(`invitation sign-in failed: ${res.status} ${res.body.toString().slice(0, 200)}`);
  }
  return jar;
}
