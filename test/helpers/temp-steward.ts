import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { DATABASE_FILE, openSteward, systemClock, type Steward, type StewardOptions } from '../../main/app';
import type { Clock } from '../../main/dispatch/context';
import { readWorkerScript } from './read-worker';

export const OWNER = {
  rootGroupName: 'Acme Backup Provider',
  username: 'owner',
  email: 'owner@acme.test',
  fullName: 'Olivia Owner',
  password: 'a long and unusual passphrase',
};

/** A clock the test moves by hand; starts at the real time so TOTP codes line up with otplib's. */
export function manualClock(start = systemClock.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export function tempDir(prefix = 'steward-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestSteward extends Steward {
  /** `source` as a transport would pass it (`ip:<address>`, `ipc`); `local` when omitted. */
  call(name: string, input: unknown, token?: string | null, source?: string): ReturnType<Steward['dispatcher']['dispatch']>;
  count(table: string): number;
  cleanup(): void;
}

/**
 * A real Steward on a real SQLite file in a fresh temp folder. `readPool`: the reads marked for
 * it run in worker threads, as in the web console; STEWARD_TEST_READ_POOL=1 turns it on for
 * every test that does not say (to run the whole suite through the pool).
 */
export function tempSteward(
  options: {
    clock?: Clock;
    dir?: string;
    jobs?: StewardOptions['jobs'];
    background?: boolean;
    syncLink?: StewardOptions['syncLink'];
    readPool?: boolean | { workers: number; warm?: boolean };
    firstRun?: StewardOptions['firstRun'];
  } = {},
): TestSteward {
  const pool = options.readPool ?? process.env.STEWARD_TEST_READ_POOL === '1';
  const temp = options.dir ? null : tempDir();
  const dataDir = options.dir ?? temp?.dir ?? '';
  const steward = openSteward({
    dataDir,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.background === undefined ? {} : { background: options.background }),
    ...(options.syncLink ? { syncLink: options.syncLink } : {}),
    ...(options.firstRun ? { firstRun: options.firstRun } : {}),
    ...(pool ? { readPool: { script: readWorkerScript(), ...(typeof pool === 'object' ? pool : {}) } } : {}),
  });
  return {
    ...steward,
    // Refusals' audit events are written within milliseconds (Dispatcher.recordRefusal); tests read
    // the tables straight after a call, so the helper writes them at once.
    call: async (name, input, token = null, source = 'local') => {
      const outcome = await steward.dispatcher.dispatch(name, input, { token, client: 'cli', source });
      steward.dispatcher.flushRefusals();
      return outcome;
    },
    count: (table) => (steward.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    cleanup: () => {
      steward.close();
      temp?.remove();
    },
  };
}

export function tokenOf(outcome: Awaited<ReturnType<TestSteward['call']>>): string {
  if (outcome.session?.kind !== 'set') throw new Error(`expected a session token, got ${JSON.stringify(outcome.result)}`);
  return outcome.session.token;
}

export async function codeFor(secret: string, atMs: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(atMs / 1000) });
}

/** Setup and enrollment, as the first admin does on first run. Returns the active token and the TOTP key. */
export async function setUpOwner(steward: TestSteward, clock: Clock = systemClock) {
  const setup = await steward.call('auth.setup', OWNER);
  let token = tokenOf(setup);
  const begin = await steward.call('auth.beginEnrollment', {}, token);
  if (!begin.result.ok) throw new Error(JSON.stringify(begin.result.error));
  const secret = (begin.result.value as { secret: string }).secret;
  const confirm = await steward.call('auth.confirmEnrollment', { code: await codeFor(secret, clock.now()) }, token);
  if (!confirm.result.ok) throw new Error(JSON.stringify(confirm.result.error));
  token = tokenOf(confirm);
  return { token, secret, recoveryCodes: (confirm.result.value as { recoveryCodes: string[] }).recoveryCodes };
}

/**
 * Copies an open Steward's data folder to `to` (the state a replay or a hub starts from).
 * `installationId`: the copy is another installation (a hub); a plain copy keeps the id.
 */
export function copyDataFolder(from: Steward, to: string, installationId?: string): void {
  from.db.pragma('wal_checkpoint(TRUNCATE)');
  cpSync(from.dataDir, to, { recursive: true });
  if (installationId === undefined) return;
  const raw = new Database(join(to, DATABASE_FILE));
  raw.prepare('UPDATE installation SET id = ?').run(installationId);
  raw.close();
}
