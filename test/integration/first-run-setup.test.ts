import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandLog } from '../../main/dispatch/command-log';
import { SETUP_CODE_FILE } from '../../main/features/auth/setup-code';
import type { Db } from '../../main/db/connection';
import { OWNER, tempDir, tempSteward, type TestSteward } from '../helpers/temp-steward';

/**
 * R35: who may take a data folder's first-run setup. The desktop and the web console take it
 * only from their own machine; a hub (`firstRun: 'code'`) only with its one-time setup code,
 * whoever asks. Real Stewards on real SQLite files, called with the sources transports pass.
 */
const open: Array<{ cleanup(): void }> = [];
afterEach(() => open.splice(0).forEach((s) => s.cleanup()));
const SLOW = 60_000;

type Outcome = Awaited<ReturnType<TestSteward['call']>>;
const errorOf = (outcome: Outcome) => (outcome.result.ok ? null : outcome.result.error);

function steward(firstRun?: 'local' | 'code', dir?: string): TestSteward {
  const s = tempSteward({ background: false, ...(firstRun ? { firstRun } : {}), ...(dir ? { dir } : {}) });
  open.push(s);
  return s;
}

async function status(s: TestSteward, source: string) {
  const answer = await s.call('auth.status', {}, null, source);
  if (!answer.result.ok) throw new Error(JSON.stringify(answer.result.error));
  return answer.result.value as { setupRequired: boolean; setupCodeRequired: boolean };
}

/** Every stored row of every table, as text: what a code must never be found in. */
function everything(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
    name: string;
  }>;
  return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
}

describe('first-run setup on the desktop and the web console (local)', () => {
  it(
    'takes it from this machine without a code, and refuses a caller from another address whatever it sends, storing nothing',
    async () => {
      const s = steward();
      expect(existsSync(join(s.dataDir, SETUP_CODE_FILE))).toBe(false);
      for (const source of ['ipc', 'local', 'ip:127.0.0.1', 'ip:127.8.9.10', 'ip:::1', 'ip:::ffff:127.0.0.1']) {
        expect(await status(s, source), source).toEqual(expect.objectContaining({ setupRequired: true, setupCodeRequired: false }));
      }
      for (const source of ['ip:203.0.113.7', 'ip:::ffff:10.1.2.3', 'ip:fe80::1', 'ip:unknown', 'ip:128.0.0.1']) {
        expect(await status(s, source), source).toEqual(expect.objectContaining({ setupRequired: true, setupCodeRequired: true }));
        expect(errorOf(await s.call('auth.setup', { ...OWNER, setupCode: 'ANY-THING' }, null, source)), source).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringContaining('only on the machine it runs on'),
        });
      }
      expect(s.count('users')).toBe(0);
      expect(s.count('groups')).toBe(0);

      const done = await s.call('auth.setup', OWNER, null, 'ip:::1');
      expect(done.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
      expect(s.count('users')).toBe(1);
    },
    SLOW,
  );
});

describe('first-run setup on a hub (code)', () => {
  it(
    'writes a one-time code to a 0600 file, asks every caller for it (loopback and the desktop window too), and stores nothing for a wrong one',
    async () => {
      const s = steward('code');
      const file = join(s.dataDir, SETUP_CODE_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = readFileSync(file, 'utf8').trim();
      expect(written).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
      expect(s.firstRun.shown).toBe(written);

      for (const source of ['ipc', 'ip:127.0.0.1', 'ip:203.0.113.7']) {
        expect(await status(s, source), source).toEqual(expect.objectContaining({ setupRequired: true, setupCodeRequired: true }));
      }
      expect(errorOf(await s.call('auth.setup', OWNER, null, 'ip:127.0.0.1'))).toMatchObject({
        code: 'VALIDATION',
        field: 'setupCode',
        message: expect.stringContaining(`in the file ${SETUP_CODE_FILE}`),
      });
      expect(errorOf(await s.call('auth.setup', { ...OWNER, setupCode: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' }, null, 'ipc'))).toMatchObject({
        code: 'FORBIDDEN',
        field: 'setupCode',
      });
      expect(s.count('users')).toBe(0);
      expect(s.count('groups')).toBe(0);
      expect(existsSync(file)).toBe(true);
      // Refusals are audited, without the code: what was sent is never stored.
      expect(everything(s.db)).not.toContain('AAAAAAAA');
    },
    SLOW,
  );

  it(
    'wrong codes from one source lock that source (as sign-in does), even for the right code; another source sets up with it',
    async () => {
      const s = steward('code');
      const code = s.firstRun.shown ?? '';
      const guesser = 'ip:198.51.100.4';
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(errorOf(await s.call('auth.setup', { ...OWNER, setupCode: `GUESS-${i}` }, null, guesser))?.code);
      }
      expect(answers).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'THROTTLED']);
      expect(errorOf(await s.call('auth.setup', { ...OWNER, setupCode: code }, null, guesser))).toMatchObject({
        code: 'THROTTLED',
        field: 'setupCode',
      });
      expect(s.count('users')).toBe(0);

      // Copied as people copy it: lower case, spaces instead of dashes.
      const typed = code.toLowerCase().replaceAll('-', ' ');
      const done = await s.call('auth.setup', { ...OWNER, setupCode: typed }, null, 'ip:203.0.113.7');
      expect(done.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
      expect(s.count('users')).toBe(1);
      // Spent: the file is gone, the gate holds nothing, and no table holds the code.
      expect(existsSync(join(s.dataDir, SETUP_CODE_FILE))).toBe(false);
      expect(s.firstRun.shown).toBeNull();
      expect(everything(s.db)).not.toContain(code.replaceAll('-', ''));
      expect(everything(s.db)).not.toContain(code);
      expect(errorOf(await s.call('auth.setup', { ...OWNER, setupCode: code }, null, 'ipc'))).toMatchObject({ code: 'SETUP_DONE' });
    },
    SLOW,
  );

  it(
    'a restart before setup keeps the code the administrator may have read; one after it writes none',
    async () => {
      const folder = tempDir('steward-setup-code-');
      open.push({ cleanup: () => folder.remove() });
      const first = tempSteward({ dir: folder.dir, background: false, firstRun: 'code' });
      const code = first.firstRun.shown;
      first.close();
      const again = tempSteward({ dir: folder.dir, background: false, firstRun: 'code' });
      expect(again.firstRun.shown).toBe(code);
      expect((await again.call('auth.setup', { ...OWNER, setupCode: code }, null, 'ip:127.0.0.1')).result.ok).toBe(true);
      again.close();
      const after = tempSteward({ dir: folder.dir, background: false, firstRun: 'code' });
      open.push(after);
      expect(after.firstRun.shown).toBeNull();
      expect(existsSync(join(folder.dir, SETUP_CODE_FILE))).toBe(false);
      expect(await status(after, 'ip:203.0.113.7')).toEqual(expect.objectContaining({ setupRequired: false, setupCodeRequired: false }));
    },
    SLOW,
  );

  it(
    'a replay takes the recorded verdict on the code, which its envelope never holds',
    async () => {
      const folder = tempDir('steward-setup-replay-');
      const start = tempDir('steward-setup-start-');
      open.push({ cleanup: () => folder.remove() }, { cleanup: () => start.remove() });
      tempSteward({ dir: folder.dir, background: false }).close();
      cpSync(folder.dir, start.dir, { recursive: true });
      const hub = tempSteward({ dir: folder.dir, background: false, firstRun: 'code' });
      open.push(hub);
      const code = hub.firstRun.shown ?? '';
      expect((await hub.call('auth.setup', { ...OWNER, setupCode: code }, null, 'ip:203.0.113.7')).result.ok).toBe(true);
      const [setup] = [...new CommandLog(hub.db).all()].filter((c) => c.envelope.operation === 'auth.setup');
      if (!setup) throw new Error('the setup was not logged');
      expect(setup.text).not.toContain(code.replaceAll('-', ''));

      // Replayed where no code exists and the source is not local: only the recorded verdict lets it through.
      const replica = tempSteward({ dir: start.dir, background: false });
      open.push(replica);
      const outcome = await replica.dispatcher.dispatchAs(setup, 'replay');
      expect(outcome.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
      expect(replica.count('users')).toBe(1);
    },
    SLOW,
  );
});
