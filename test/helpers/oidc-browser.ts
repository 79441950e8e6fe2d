/**
 * What a browser does between Steward's authorization URL and the provider's redirect back:
 * follows redirects with the provider's cookies, fills the provider's login form, and stops
 * at the first redirect to `stopAt` (Steward's redirect URI, or a test of the URL), whose URL it returns.
 */
export async function signInAtProvider(
  authorizationUrl: string,
  stopAt: string | ((url: URL) => boolean),
  login: string,
  password: string,
): Promise<string> {
  const done = typeof stopAt === 'string' ? (url: URL) => url.href.startsWith(stopAt) : stopAt;
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < 20; hop += 1) {
    if (done(new URL(url))) return url;
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    form = null;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`The provider answered ${response.status} without a login form: ${page.slice(0, 300)}`);
    url = new URL(action, url).href;
    form = new URLSearchParams({ login, password });
  }
  throw new Error('Too many redirects at the provider');
}
