import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enrollment, GroupSummary } from '../../shared/contract';
import { contract } from '../../shared/contract';
import { HttpClient } from '../helpers/http-client';
import { codeFor, OWNER, tempDir } from '../helpers/temp-steward';
import { bundleForNode, runWebProcess, type WebProcess } from '../helpers/web-process';

/**
 * Issue 16: the `steward` command line against the real web console in its own process:
 * sign-in with a code, an import (dry run, then for real), a bulk assign of 10,000 devices
 * with its progress and per-device results, undo, exit codes, and --help for every operation.
 */
const DEVICES = 10_000;
const bundles: Array<{ remove(): void }> = [];
let cliFile = '';
let web: WebProcess;
let url = '';
let secret = '';
const data = tempDir('steward-cli-data-');
const home = tempDir('steward-cli-home-');
const sessionFile = join(home.dir, 'session.json');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line as a person would, with its session file in a temp folder. */
function steward(args: readonly string[], stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliFile, ...args], {
      env: { ...process.env, STEWARD_SESSION_FILE: sessionFile, STEWARD_URL: url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const json = (run: Run) =>
  JSON.parse(run.stdout) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string; field?: string } };

beforeAll(async () => {
  const [webBundle, cliBundle] = await Promise.all([bundleForNode('main/web.ts'), bundleForNode('cli/steward.ts')]);
  bundles.push(webBundle, cliBundle);
  cliFile = cliBundle.file;
  web = runWebProcess(process.execPath, [webBundle.file, '--port', '0', '--data', data.dir]);
  url = await web.ready;
  // First run, as the first admin does it in the browser: setup, then the authenticator.
  const browser = new HttpClient(url);
  await browser.primeCsrf();
  expect((await browser.call('auth.setup', OWNER)).status).toBe(200);
  const begin = await browser.call('auth.beginEnrollment', {});
  secret = (begin.body.value as unknown as Enrollment).secret;
  expect((await browser.call('auth.confirmEnrollment', { code: await codeFor(secret, Date.now()) })).status).toBe(200);
  await browser.call('auth.signOut', {});
}, 120_000);

afterAll(async () => {
  web.child.kill('SIGTERM');
  await web.exited;
  bundles.forEach((b) => b.remove());
  data.remove();
  home.remove();
});

describe('steward, the command line', () => {
  it('before sign-in an operation exits 6; a wrong code exits 6 too', async () => {
    const anonymous = await steward(['devices.list']);
    expect(anonymous.code).toBe(6);
    expect(anonymous.stderr).toMatch(/^steward: /);
    const wrong = await steward(['login', '--username', OWNER.username, '--password-stdin', '--code', '000000'], `${OWNER.password}\n`);
    expect(wrong.code).toBe(6);
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('login with password and code keeps the session in a 0600 file', async () => {
    // The code of the next 30-second step: enrollment used this one, and a code is never accepted twice.
    const code = await codeFor(secret, Date.now() + 30_000);
    const run = await steward(['login', '--username', OWNER.username, '--password-stdin', '--code', code], `${OWNER.password}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Signed in to ${url.replace(/\/$/, '')} as ${OWNER.username}.\n`);
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
  });

  it('--help for every operation comes from the contract: its fields as flags, its error codes', async () => {
    const names = Object.keys(contract).filter((n) => contract[n as keyof typeof contract].audience !== 'system');
    for (let i = 0; i < names.length; i += 8) {
      const runs = await Promise.all(names.slice(i, i + 8).map((name) => steward([name, '--help'])));
      runs.forEach((run, j) => {
        const name = names[i + j] ?? '';
        expect(run.code, name).toBe(0);
        expect(run.stdout, name).toContain(`Usage: steward ${name} [options]`);
        for (const code of contract[name as keyof typeof contract].errors) expect(run.stdout, name).toContain(code);
      });
    }
    const create = await steward(['groups.create', '--help']);
    expect(create.stdout).toMatch(/--parent-id <value>\s+text \(required\)/);
    expect(create.stdout).toMatch(/--kind <value>\s+text; one of: provider, distributor/);
  }, 120_000);

  let rootId = '';
  let memberId = '';
  let jobId = '';

  it('devices import: a dry run reports each refused row by line and field, exits 2, and writes nothing; then 10,000 go in', async () => {
    const tree = json(await steward(['groups.tree', '--json']));
    rootId = ((tree.value?.groups as GroupSummary[] | undefined) ?? [])[0]?.id ?? '';
    expect(rootId).not.toBe('');
    const bad = join(home.dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'name,kind,os,status,lastBackupAt,group',
        'pc-1,workstation,,ok,,Acme Backup Provider',
        'pc-2,toaster,,ok,,Acme Backup Provider',
      ].join('\n'),
    );
    const refused = await steward(['devices', 'import', bad, '--dry-run']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('line 3, kind: Kind must be one of');
    expect(refused.stdout).toContain('Dry run: 1 rows pass, 1 refused; 0 imported.');

    const file = join(home.dir, 'fleet.csv');
    const rows = Array.from(
      { length: DEVICES },
      (_, i) => `pc-${String(i).padStart(5, '0')},workstation,Windows 11,ok,,Acme Backup Provider`,
    );
    writeFileSync(file, ['name,kind,os,status,lastBackupAt,group', ...rows].join('\n'));
    const dry = await steward(['devices', 'import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`Dry run: ${DEVICES} rows pass, 0 refused; 0 imported.\n`);
    const real = await steward(['devices', 'import', file, '--json']);
    expect(real.code).toBe(0);
    expect(json(real).value).toMatchObject({ accepted: DEVICES, imported: DEVICES, rejectedTotal: 0 });
  }, 120_000);

  it('any operation by flags generated from its schema, with --input for the nested fields', async () => {
    const run = await steward([
      'users.create',
      '--username',
      'tom.tech',
      '--email',
      'tom@acme.test',
      '--full-name',
      'Tom Tech',
      '--home-group-id',
      rootId,
      '--input',
      JSON.stringify({ bindings: [{ roleId: 'builtin-operator', groupId: rootId }] }),
      '--json',
    ]);
    expect(run.code).toBe(0);
    memberId = String(json(run).value?.id ?? '');
    expect(memberId).not.toBe('');
  });

  it(`devices assign: a dry run, then ${DEVICES.toLocaleString('en')} devices as a job with progress and per-device results; jobs undo reverses it`, async () => {
    const dry = await steward(['devices', 'assign', '--to', 'tom.tech', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`Dry run: ${DEVICES} devices, ${DEVICES} pairs to assign (${DEVICES} devices), 0 already so, 0 refused.\n`);

    const run = await steward(['devices', 'assign', '--to', 'tom.tech', '--os', 'Windows 11']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Job \S+: assign 10000 devices \(Devices with OS Windows 11\) for tom\.tech\n/);
    expect(run.stderr).toMatch(/Assigning \[[^\]]*\] 100% \| 10000\/10000 devices/);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(DEVICES + 1);
    // One result line per device, in the job's processing order.
    const results = lines.slice(0, -1);
    expect(results.every((line) => /^pc-\d{5}\tchanged\tchanged for tom\.tech$/.test(line))).toBe(true);
    expect(new Set(results.map((line) => line.split('\t')[0])).size).toBe(DEVICES);
    jobId =
      /^Job (\S+) done: 10000 pairs assigned \(10000 devices\), 0 already so, 0 refused\. Undo: steward jobs undo \1$/.exec(
        lines.at(-1) ?? '',
      )?.[1] ?? '';
    expect(jobId).not.toBe('');
    const held = json(await steward(['devices.list', '--input', JSON.stringify({ filter: { assigneeId: memberId } }), '--json']));
    expect(held.value?.total).toBe(DEVICES);

    const undo = await steward(['jobs', 'undo', jobId]);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toBe(`Job ${jobId} rolled_back: ${DEVICES} of ${DEVICES} devices restored, 0 left alone.\n`);
    expect(
      json(await steward(['devices.list', '--input', JSON.stringify({ filter: { assigneeId: memberId } }), '--json'])).value?.total,
    ).toBe(0);
    const again = await steward(['jobs', 'undo', jobId, '--json']);
    expect(again.code).toBe(5);
    expect(json(again)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  }, 300_000);

  it('exit codes: invalid 2, not found 3, refused 4, each with --json naming the code and field', async () => {
    const invalid = await steward(['groups.create', '--parent-id', rootId, '--kind', 'customer', '--name', 'Beta\u200b', '--json']);
    expect(invalid.code).toBe(2);
    expect(json(invalid)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    const badFlag = await steward(['groups.create', '--seat-limit', 'many']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toBe('steward: --seat-limit must be a number (field: seatLimit)\n');

    const missing = await steward(['devices.get', '--id', 'no-such-device', '--json']);
    expect(missing.code).toBe(3);
    expect(json(missing)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const forbidden = await steward(['roles.remove', '--id', 'builtin-viewer']);
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).toMatch(/^steward: .*built-in/);
  });

  it('devices export writes the import format to stdout, with a BOM when asked', async () => {
    const run = await steward(['devices', 'export', '--text', 'pc-0000', '--bom']);
    expect(run.code).toBe(0);
    expect(
      run.stdout.startsWith('\uFEFFname,kind,os,status,lastBackupAt,group\r\npc-00000,workstation,Windows 11,ok,,Acme Backup Provider\r\n'),
    ).toBe(true);
    expect(run.stdout.trimEnd().split('\r\n')).toHaveLength(11);
  });

  it('logout ends the session on the console and removes the file; the next call exits 6', async () => {
    const run = await steward(['logout']);
    expect(run.code).toBe(0);
    expect(existsSync(sessionFile)).toBe(false);
    expect((await steward(['devices.list'])).code).toBe(6);
  });
});
