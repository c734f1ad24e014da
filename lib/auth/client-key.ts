// The client address used as a rate-limit key. Behind a proxy, the first X-Forwarded-For hop.
type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

export function clientKeyFromHeaders(headers: HeaderBag): string {
  const get = (name: string): string | undefined => {
    if (!headers) return undefined;
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return get("x-forwarded-for")?.split(",")[0]?.trim() || get("x-real-ip") || "local";
}
