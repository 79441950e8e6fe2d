import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/connection';
import type { Entropy } from '../../dispatch/context';
import { PRIVATE_FILE_MODE } from '../../security/private-files';
import { hasAccounts } from './accounts';
import { base32 } from './totp';

/** The one-time setup code's file in a hub's data folder (0600), while no account exists. */
export const SETUP_CODE_FILE = 'setup-code';

/** 120 random bits: 24 base32 characters, shown in six groups of four. */
const CODE_BYTES = 15;
const CODE_SHAPE = /^[A-Z2-7]{24}$/;

/** The throttle key of guesses at the setup code (one code per data folder). */
export const SETUP_CODE_THROTTLE_KEY = 'setup:code';

/**
 * Who may take a data folder's first-run setup (R35):
 * - `local` (the desktop, the web console): only a caller on this machine (the desktop
 *   window, Steward itself, a loopback address); every other caller is refused, whatever it sends.
 * - `code` (the hub): every caller, loopback included, gives the one-time setup code. A
 *   hub's loopback is not its administrator: a reverse proxy or a tunnel on the same host
 *   brings everyone in from 127.0.0.1, while the person who started the hub has the code on
 *   its console and in its data folder.
 */
export type FirstRunMode = 'local' | 'code';

/** A caller the setup form may trust to be at this machine: `ipc`, `local`, or `ip:` a loopback address. */
export function isLocalSource(source: string): boolean {
  if (source === 'ipc' || source === 'local') return true;
  if (!source.startsWith('ip:')) return false;
  const address = source
    .slice(3)
    .toLowerCase()
    .replace(/^::ffff:/, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** What the setup handler concluded about the caller's setup code, before any other check. */
export type SetupCodeVerdict = 'not-needed' | 'right' | 'missing' | 'wrong' | 'local-only';

/**
 * The first-run gate of one open data folder. In `code` mode with no account yet, it holds
 * the code that `openSetupCode` wrote; `consume` forgets it and removes the file once a
 * setup committed.
 */
export class FirstRunGate {
  private digest: Buffer | null;

  constructor(
    readonly mode: FirstRunMode,
    /** The code as written and printed (null once used, and always in `local` mode). */
    private code: string | null,
    /** Where the code is kept, for the console line and the error's hint. */
    readonly file: string | null,
  ) {
    this.digest = code === null ? null : digestOf(code);
  }

  /** The code to print on the hub's console at start, or null when there is none to take. */
  get shown(): string | null {
    return this.code === null ? null : grouped(this.code);
  }

  /** Whether a caller from `source` must give the setup code. */
  needsCode(source: string): boolean {
    return this.mode === 'code' || !isLocalSource(source);
  }

  /** The verdict on `given` from `source`: compared in constant time; never logged. */
  check(source: string, given: string | undefined): SetupCodeVerdict {
    if (!this.needsCode(source)) return 'not-needed';
    if (this.mode === 'local') return 'local-only';
    if (given === undefined || given.trim() === '') return 'missing';
    if (this.digest === null) return 'wrong';
    return timingSafeEqual(digestOf(normalized(given)), this.digest) ? 'right' : 'wrong';
  }

  /** The setup committed: the code is spent and its file goes. */
  consume(): void {
    this.code = null;
    this.digest = null;
    if (this.file) rmSync(this.file, { force: true });
  }
}

/**
 * The gate for a data folder opened in `mode`. In `code` mode with no account yet, the
 * code is read from `<dataDir>/setup-code` (a restart keeps the code the administrator
 * may already have read) or, when that file is missing or not a code, a new one is drawn
 * from `entropy` (Steward's own source: no command is running) and written there at 0600.
 * Once an account exists, a file left behind is removed.
 */
export function openSetupCode(dataDir: string, db: Db, mode: FirstRunMode, entropy: Entropy): FirstRunGate {
  if (mode === 'local') return new FirstRunGate('local', null, null);
  const file = join(dataDir, SETUP_CODE_FILE);
  if (hasAccounts(db)) {
    rmSync(file, { force: true });
    return new FirstRunGate('code', null, file);
  }
  const kept = existsSync(file) ? normalized(readFileSync(file, 'utf8')) : '';
  if (CODE_SHAPE.test(kept)) return new FirstRunGate('code', kept, file);
  const code = base32(entropy.bytes(CODE_BYTES));
  rmSync(file, { force: true });
  writeFileSync(file, `${grouped(code)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return new FirstRunGate('code', code, file);
}

/** People copy codes with spaces, dashes and lower case: none of them is part of the code. */
function normalized(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

function grouped(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Equal-length digests, so timingSafeEqual compares a code of any length without telling its length. */
function digestOf(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}
