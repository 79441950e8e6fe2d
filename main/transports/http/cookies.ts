export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  maxAgeSeconds?: number;
  /** `/` unless the cookie serves one part of the server (the SSO binding: `/sso`). */
  path?: string;
  /**
   * `Strict` keeps other sites' requests from carrying it; `Lax` only where a cookie must come
   * back with a top-level navigation from another site (the SSO callback from the provider).
   */
  sameSite?: 'Strict' | 'Lax';
}

/** Writes one Set-Cookie value; made once per server by `cookieWriter`, so every cookie it sets agrees on Secure. */
export type CookieWriter = (name: string, value: string, options: CookieOptions) => string;

/**
 * The one way the HTTP server writes a cookie. Over HTTPS (a hub) every cookie carries
 * `Secure`, so a browser never sends it over plain HTTP, even to the same name; over plain
 * HTTP (the web console on loopback) none does, since browsers would drop it there.
 */
export function cookieWriter(transport: { https: boolean }): CookieWriter {
  return (name, value, options) => {
    const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, `SameSite=${options.sameSite ?? 'Strict'}`];
    if (options.httpOnly) parts.push('HttpOnly');
    if (transport.https) parts.push('Secure');
    if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
    return parts.join('; ');
  };
}
