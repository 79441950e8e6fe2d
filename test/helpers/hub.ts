import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { hashPassword } from '../../main/features/auth/passwords';
import { base32 } from '../../main/features/auth/totp';
import { DATABASE_FILE, type Steward } from '../../main/app';
import { HttpClient } from './http-client';
import { codeFor } from './temp-steward';
import { ROLE, type World } from './world';

/** A person who can sign in at the hub: password and authenticator key (base32). */
export interface Credentials {
  username: string;
  password: string;
  secret: string;
}

/**
 * Gives `userId` a password and an authenticator on an open Steward, as enrollment leaves them.
 * `hash`: that password's hash computed once for many people (a hash costs a fraction of a second).
 */
export async function giveCredentials(
  steward: Steward,
  userId: string,
  password = 'a long and unusual passphrase',
  hash?: string,
): Promise<Credentials> {
  const secret = base32(randomBytes(20));
  hash ??= await hashPassword(password, randomBytes(16));
  steward.db
    .prepare('UPDATE users SET password_hash = ?, totp_secret = ?, mfa_enrolled_at = ? WHERE id = ?')
    .run(hash, steward.secrets.seal(Buffer.from(secret, 'utf8')), Date.now(), userId);
  const username = (steward.db.prepare('SELECT username FROM users WHERE id = ?').get(userId) as { username: string }).username;
  return { username, password, secret };
}

/** The hub and web console entry points, bundled once per test file beside node_modules (as the real build is). */
export async function bundleEntries(): Promise<{ hub: string; web: string; remove(): void }> {
  const cache = resolve('node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'steward-sync-'));
  const options = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' } as const;
  await build({ ...options, entryPoints: { hub: 'main/hub.ts', web: 'main/web.ts' }, outdir: dir, outExtension: { '.js': '.mjs' } });
  // As `npm run build` does: the read pool's worker sits beside the bundles that start it,
  await build({ ...options, entryPoints: ['main/read-worker.ts'], outfile: join(dir, 'read-worker.js') });
  // and the bundles find main/assets beside themselves (the common-password list, main/assets.ts).
  cpSync('main/assets', join(dir, 'assets'), { recursive: true });
  return { hub: join(dir, 'hub.mjs'), web: join(dir, 'web.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Steward process (hub or web console) the test started, with what it printed on start. */
export interface RunningProcess {
  proc: ChildProcess;
  url: string;
  /** The hub's certificate fingerprint (hubs only). */
  fingerprint: string;
  output(): string;
  /** SIGTERM and wait; SIGKILL when `kill` says so (a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function startProcess(script: string, args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<RunningProcess> {
  const proc = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STEWARD_LOG: 'quiet', ...env },
  });
  let out = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const url = ready.exec(out)?.[1];
      const fingerprint = /fingerprint[^:]*: ([0-9A-F:]{95})/.exec(out)?.[1] ?? '';
      if (!url || (script.endsWith('hub.mjs') && !fingerprint)) return;
      clearTimeout(timer);
      resolvePromise({
        proc,
        url,
        fingerprint,
        output: () => out,
        stop: (signal = 'SIGTERM') =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill(signal);
          }),
      });
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${String(code)}) before it was ready:\n${out}`));
    });
  });
}

export function startHub(
  script: string,
  dataDir: string,
  port = 0,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningProcess> {
  return startProcess(script, ['--data', dataDir, '--listen', `127.0.0.1:${port}`, ...extra], /Steward hub: (\S+)/, env);
}

export function startConsole(script: string, dataDir: string, port = 0): Promise<RunningProcess> {
  return startProcess(script, ['--data', dataDir, '--port', String(port)], /Steward web console: (\S+)/);
}

/** A headless replica: a web console on its own data folder, driven over its HTTP API like the browser does. */
export class ReplicaConsole {
  readonly api: HttpClient;

  constructor(
    readonly running: RunningProcess,
    /** Its data folder, for tests that read its database beside it. */
    readonly dataDir = '',
  ) {
    this.api = new HttpClient(running.url);
  }

  /** "Connect to a hub" with a fresh code; answers the HTTP answer. */
  async connect(hub: RunningProcess, who: Credentials) {
    await this.api.primeCsrf();
    return this.api.call('sync.connect', {
      url: hub.url,
      fingerprint: hub.fingerprint,
      username: who.username,
      password: who.password,
      code: await codeFor(who.secret, Date.now()),
    });
  }

  /** Signs in here (the offline verifier), with the next step's code: the one before may have been taken at the hub. */
  async signIn(who: Credentials): Promise<void> {
    if (!this.api.cookie('steward_csrf_')) await this.api.primeCsrf();
    const first = await this.api.call('auth.signIn', { login: who.username, password: who.password });
    if (!first.body.ok) throw new Error(`sign-in: ${JSON.stringify(first.body)}`);
    const code = await this.api.call('auth.verifyCode', { code: await codeFor(who.secret, Date.now() + 30_000) });
    if (!code.body.ok) throw new Error(`code: ${JSON.stringify(code.body)}`);
  }

  async call(name: string, input: unknown) {
    return this.api.call(name, input);
  }

  async status(): Promise<{ state: string; pending: number; rejected: number; asOf: number | null; error: string | null }> {
    if (!this.api.cookie('steward_csrf_')) await this.api.primeCsrf();
    const answer = await this.api.call('sync.status', {});
    return answer.body.value as unknown as { state: string; pending: number; rejected: number; asOf: number | null; error: string | null };
  }

  /**
   * Waits until the replica is online with nothing pending (every command answered and pulled
   * back), and answers that status: a later read may find the next sync already running.
   */
  async settled(
    limitMs = 60_000,
  ): Promise<{ state: string; pending: number; rejected: number; asOf: number | null; error: string | null }> {
    const until = Date.now() + limitMs;
    let last = '';
    while (Date.now() < until) {
      const s = await this.status();
      last = JSON.stringify(s);
      if (s.state === 'online' && s.pending === 0) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`replica did not settle: ${last}`);
  }
}

/** Polls `probe` until it answers something other than undefined. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  limitMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Reads a data folder's database beside the process that has it open (WAL: a reader sees what is committed). */
export function folderRows<T = Record<string, unknown>>(dir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * The tree most sync tests start from: the provider › Reseller › North and South. Alice, homed
 * at the reseller, is Admin of both customers (so she can lose one); Bob is Admin at the provider.
 */
export function northAndSouth(w: World): { reseller: string; north: string; south: string; alice: string; bob: string } {
  const reseller = w.group(w.rootId, 'reseller', 'Reseller');
  const north = w.group(reseller, 'customer', 'North');
  const south = w.group(reseller, 'customer', 'South');
  const alice = w.user('alice', reseller);
  w.bind(alice, ROLE.admin, north);
  w.bind(alice, ROLE.admin, south);
  const bob = w.user('bob', w.rootId);
  w.bind(bob, ROLE.admin, w.rootId);
  return { reseller, north, south, alice, bob };
}
