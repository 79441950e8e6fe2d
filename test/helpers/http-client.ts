import type { Result } from '../../shared/result';

export interface ApiAnswer {
  status: number;
  body: Result<unknown> & { value?: Record<string, unknown> };
}

/** A minimal browser stand-in: keeps cookies, sends the CSRF header the console would send. */
export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookie(name: string): string | undefined {
    return [...this.cookies.entries()].find(([key]) => key.startsWith(name))?.[1];
  }

  /** Holds a cookie as if the server had set it (a session a test made directly). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async primeCsrf(): Promise<void> {
    this.absorb(await fetch(new URL('api/csrf', this.baseUrl), { headers: this.headers() }));
  }

  async call(
    name: string,
    input: unknown,
    options: { csrf?: boolean; rawBody?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<ApiAnswer> {
    const csrf = this.cookie('steward_csrf_');
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...this.headers(), ...options.headers };
    if (options.csrf !== false && csrf) headers['x-steward-csrf'] = csrf;
    const response = await fetch(new URL(`api/${name}`, this.baseUrl), {
      method: 'POST',
      headers,
      body: options.rawBody ?? JSON.stringify(input),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    this.absorb(response);
    return { status: response.status, body: (await response.json()) as ApiAnswer['body'] };
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    return cookie ? { cookie } : {};
  }

  private absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => a.trim().toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
