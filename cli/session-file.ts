import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `steward login` keeps between runs: the console's address and its cookies (the session token among them). */
export interface SavedSession {
  url: string;
  cookies: Record<string, string>;
  username: string;
  /** ISO 8601. */
  savedAt: string;
}

/** STEWARD_SESSION_FILE, else `<XDG_CONFIG_HOME or ~/.config>/steward/cli-session.json`. */
export function sessionFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.STEWARD_SESSION_FILE ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'steward', 'cli-session.json');
}

export function readSession(file: string): SavedSession | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedSession>;
    if (typeof parsed.url !== 'string' || typeof parsed.cookies !== 'object' || parsed.cookies === null) return null;
    return { url: parsed.url, cookies: parsed.cookies, username: parsed.username ?? '', savedAt: parsed.savedAt ?? '' };
  } catch {
    return null;
  }
}

/** Written 0600 in a 0700 folder: the file holds a session token, which is as good as a signed-in console. */
export function writeSession(file: string, session: SavedSession): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeSession(file: string): void {
  rmSync(file, { force: true });
}
