import { ConsoleClient } from './client';
import { readSession, sessionFilePath } from './session-file';

export type Connect = () => ConsoleClient;

/** The console's address: --url, else STEWARD_URL, else the signed-in session's, else the web console's default. */
export function consoleUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.STEWARD_URL ?? readSession(sessionFilePath(env))?.url ?? 'http://127.0.0.1:4780';
}

/** A client carrying the saved session's cookies when it is for the same console. */
export function connectTo(url: string, env: NodeJS.ProcessEnv = process.env): ConsoleClient {
  const saved = readSession(sessionFilePath(env));
  const client = new ConsoleClient(url);
  return saved && saved.url === client.url ? new ConsoleClient(url, saved.cookies) : client;
}
