// The client address used as a rate-limit key. The app cannot see the socket address through
// next-auth, so it relies on X-Forwarded-For, which any client can forge unless a reverse proxy
// overwrites it. It is therefore used only when FOCUS_TRUST_PROXY=1 says such a proxy is in front;
// otherwise there is no per-address key and the per-email limit stands alone.
type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

export function clientKeyFromHeaders(
  headers: HeaderBag,
  trustProxy = process.env.FOCUS_TRUST_PROXY === "1",
): string | null {
  if (!trustProxy || !headers) return null;
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return get("x-forwarded-for")?.split(",")[0]?.trim() || get("x-real-ip") || null;
}
