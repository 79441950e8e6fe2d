import type { Result } from '../shared/result';
import { CliError, EXIT } from './exit-codes';

/** The header the web console checks against its CSRF cookie (main/transports/http/server.ts). */
const CSRF_HEADER = 'x-steward-csrf';

/**
 * The web console's HTTP API as a command line client sees it: POST /api/<operation> with
 * the console's cookies and its CSRF header, exactly as the browser console calls it.
 */
export class ConsoleClient {
  readonly cookies: Map<string, string>;
  /** The console's address without a trailing slash, as it is shown and saved. */
  readonly url: string;

  constructor(url: string, cookies: Record<string, string> = {}) {
    this.url = url.replace(/\/+$/, '');
    this.cookies = new Map(Object.entries(cookies));
  }

  /** Runs one operation; an answer from the console (ok or not) is returned, an unreachable console throws CliError. */
  async call<T = unknown>(name: string, input: unknown): Promise<Result<T>> {
    if (!this.csrf()) await this.request('api/csrf', { method: 'GET' });
    const response = await this.request(`api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: this.csrf() ?? '' },
      body: JSON.stringify(input ?? {}),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as Result<T>;
    } catch {
      throw new CliError(
        `${this.url} answered ${response.status} without a Steward answer; is that a Steward console?`,
        EXIT.unreachable,
        'UNREACHABLE',
      );
    }
  }

  cookieRecord(): Record<string, string> {
    return Object.fromEntries(this.cookies);
  }

  private csrf(): string | undefined {
    return [...this.cookies.entries()].find(([name]) => name.startsWith('steward_csrf_'))?.[1];
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    let response: Response;
    try {
      response = await fetch(new URL(path, `${this.url}/`), {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) },
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new CliError(
        `Cannot reach the Steward console at ${this.url} (${cause}); start it, or pass --url`,
        EXIT.unreachable,
        'UNREACHABLE',
      );
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attributes.some((a) => a.trim().toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return response;
  }
}
