/**
 * POST /api/<name> as the console does (session and CSRF cookies, CSRF header), over real
 * HTTP; answers the operation's value and throws on a refusal. `sessionCookie` is the cookie's
 * name (`steward_session_<port>`), `token` the session it holds.
 */
export async function apiClient(baseUrl: string, sessionCookie: string, token: string) {
  const primed = await fetch(new URL('api/csrf', baseUrl));
  const csrf = /steward_csrf_\d+=([^;]+)/.exec(primed.headers.getSetCookie().join('; '))?.[1] ?? '';
  const port = new URL(baseUrl).port;
  return async (name: string, input: unknown): Promise<unknown> => {
    const response = await fetch(new URL(`api/${name}`, baseUrl), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'x-steward-csrf': csrf,
        cookie: `steward_csrf_${port}=${csrf}; ${sessionCookie}=${token}`,
      },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message ?? 'refused'}`);
    return body.value;
  };
}
