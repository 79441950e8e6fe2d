import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../main/data-lock';
import { hashPassword } from '../../main/features/auth/passwords';
import { fetchCertificate } from '../../main/sync/hub-client';
import { folderRows, giveCredentials, startConsole, startHub, type Credentials, type RunningProcess } from '../helpers/hub';
import { startIdp } from '../helpers/oidc-idp';
import { BASE_DN, directorySettings, slapdMissing, startSlapd } from '../helpers/slapd';
import { useSyncProcesses } from '../helpers/sync-processes';
import { bundleForNode, runWebProcess } from '../helpers/web-process';
import { codeFor, tempDir, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * Outsiders, second wave: people with few rights (a reseller's Admin, a customer's Admin or
 * Operator) against Steward as it runs — real web console and hub processes, real HTTP on
 * loopback, a real OpenLDAP and OpenID provider where the attack needs one, and `npm run` as a
 * service manager stops it. Not repeated here: what outsider-12 and outsider-13 already try
 * (forged envelopes, sequences, tokens, pulls, replica tampering).
 */
const { entries: bundled, cleanups } = useSyncProcesses();

interface Answer {
  status: number;
  // The console's JSON answer, read as an outsider's client reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an attacker's client inspects whatever comes back
  body: any;
}

/**
 * Builds a data folder with `build`, then serves it from a real web console process.
 * `as(session)` calls the console's HTTP API as the person whose session that is, as the browser does.
 */
async function webConsole<T>(build: (w: World) => T | Promise<T>) {
  const folder = tempDir('steward-outsider-');
  cleanups.push(() => folder.remove());
  const w = new World(tempSteward({ dir: folder.dir, background: false }));
  const built = await build(w);
  w.steward.close();
  const proc = await startConsole(bundled().web, folder.dir);
  cleanups.push(() => proc.stop());
  const port = new URL(proc.url).port;
  const as =
    (session: string) =>
    async (name: string, input: unknown): Promise<Answer> => {
      const response = await fetch(new URL(`api/${name}`, proc.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `steward_session_${port}=${session}; steward_csrf_${port}=csrf-x`,
          'x-steward-csrf': 'csrf-x',
        },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
  return { ...built, dir: folder.dir, proc, as };
}

const groupsUnder = (dir: string, parentId: string) =>
  folderRows<{ name: string; kind: string }>(dir, 'SELECT name, kind FROM groups WHERE parent_id = ? ORDER BY name', parentId);

/** A reseller "Res" with its customer "Acme", and Rita, the reseller's Admin (a session for her). */
function resellerWithAcme(w: World) {
  const reseller = w.group(w.rootId, 'reseller', 'Res');
  w.group(reseller, 'customer', 'Acme');
  const rita = w.user('rita', reseller);
  w.bind(rita, ROLE.admin, reseller);
  return { reseller, rita: w.session(rita) };
}

describe('outsider wave 2: names that look alike (R24), typed by a reseller’s Admin', () => {
  it('a name that looks empty or like a sibling’s through a blank symbol (U+2800, U+1D159, U+16FE4) is refused, naming the field and the character', async () => {
    const c = await webConsole(resellerWithAcme);
    const rita = c.as(c.rita);
    const before = groupsUnder(c.dir, c.reseller);
    const blanks: Array<[string, string]> = [
      ['Acme\u2800', 'U+2800 at position 5'],
      ['\u2800', 'U+2800 at position 1'],
      ['Acme\u{1D159}', 'U+1D159 at position 5'],
      ['Ac\u{16FE4}me', 'U+16FE4 at position 3'],
    ];
    for (const [name, where] of blanks) {
      const made = await rita('groups.create', { parentId: c.reseller, kind: 'customer', name });
      expect(made.body, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
      expect(made.body.error.message).toContain(where);
      const role = await rita('roles.create', {
        ownerGroupId: c.reseller,
        name,
        deviceVisibility: 'assigned',
        permissions: ['devices.view'],
      });
      expect(role.body, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    }
    expect(groupsUnder(c.dir, c.reseller)).toEqual(before);
    expect(folderRows(c.dir, 'SELECT name FROM roles WHERE owner_group_id = ?', c.reseller)).toEqual([]);
  }, 60_000);

  // Finding, not fixed: R24 compares names after NFKC and case folding, which leaves letters of
  // other scripts that are drawn alike (Cyrillic А, с, е beside Latin A, c, e) as different names.
  // Telling them apart needs Unicode's confusable skeletons (UTS #39), a change of R24's comparison.
  it.fails(
    'a sibling spelled with Cyrillic letters that look Latin ("Асmе" beside "Acme") is the same name',
    async () => {
      const c = await webConsole(resellerWithAcme);
      const made = await c.as(c.rita)('groups.create', { parentId: c.reseller, kind: 'customer', name: '\u0410\u0441m\u0435' });
      expect(made.body).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } });
    },
    60_000,
  );
});

describe('outsider wave 2: a customer’s Admin exports and imports devices', () => {
  it('an export names no group above what the Admin sees (R13), an import cannot probe those names, and a name holding "/" survives the round trip', async () => {
    const c = await webConsole((w) => {
      const distributor = w.group(w.rootId, 'distributor', 'Secret Distributor');
      const reseller = w.group(distributor, 'reseller', 'Hidden Reseller');
      const customer = w.group(reseller, 'customer', 'Customer One');
      const owner = w.user('one-owner', customer);
      w.bind(owner, ROLE.owner, customer);
      const ada = w.user('ada', customer);
      w.bind(ada, ROLE.admin, customer);
      const emea = w.group(customer, 'location', 'Sales/EMEA');
      w.device(customer, 'one-pc');
      w.device(emea, 'emea-pc');
      return { customer, ada: w.session(ada) };
    });
    const ada = c.as(c.ada);
    const tree = await ada('groups.tree', {});
    expect(JSON.stringify(tree.body)).not.toContain('Hidden Reseller');

    const exported = await ada('devices.export', { format: 'csv' });
    expect(exported.body.ok).toBe(true);
    const content = exported.body.value.content as string;
    for (const above of ['Secret Distributor', 'Hidden Reseller', 'Provider']) expect(content).not.toContain(above);
    expect(content).toContain(',Customer One\r\n');

    // The exported file, its devices renamed (names are unique in a group), imports again: every row finds its group.
    const renamed = content.replace(/-pc,/g, '-pc-again,');
    const again = await ada('devices.import', { format: 'csv', content: renamed, mode: 'all-or-nothing', dryRun: true });
    expect(again.body, JSON.stringify(again.body)).toMatchObject({ ok: true, value: { accepted: 2, rejectedTotal: 0 } });

    // A right guess of a name above answers as a wrong one does.
    const guess = async (path: string) => {
      const row = `name,kind,os,status,lastBackupAt,group\nprobe,workstation,Windows 11,ok,,${path}\n`;
      const answer = await ada('devices.import', { format: 'csv', content: row, mode: 'all-or-nothing', dryRun: true });
      return answer.body.value as { accepted: number; rejected: Array<{ reason: string }> };
    };
    const right = await guess('Hidden Reseller / Customer One');
    const wrong = await guess('Wrong Guess / Customer One');
    expect(right.accepted).toBe(wrong.accepted);
    expect(right.rejected.map((r) => r.reason.replace('Hidden Reseller', 'X'))).toEqual(
      wrong.rejected.map((r) => r.reason.replace('Wrong Guess', 'X')),
    );
  }, 60_000);
});

/** Runs the `steward` command line (bundled `cli`) with `session` as its saved sign-in to the console at `url`. */
function stewardCli(
  cli: string,
  home: string,
  url: string,
  session: string,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  const port = new URL(url).port;
  const sessionFile = join(home, 'cli-session.json');
  writeFileSync(
    sessionFile,
    JSON.stringify({ url: url.replace(/\/+$/, ''), cookies: { [`steward_session_${port}`]: session }, username: 'ada', savedAt: '' }),
    { mode: 0o600 },
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, STEWARD_SESSION_FILE: sessionFile, STEWARD_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('outsider wave 2: files from other programs, through the command line', () => {
  it('a BOM and CRLF are read; UTF-16, Latin-1 and semicolon-separated files are refused saying what to change, and nothing is written', async () => {
    const cli = await bundleForNode('cli/steward.ts');
    cleanups.push(() => cli.remove());
    const home = tempDir('steward-cli-home-');
    cleanups.push(() => home.remove());
    const c = await webConsole((w) => {
      const customer = w.group(w.rootId, 'customer', 'Customer One');
      w.bind(w.user('one-owner', customer), ROLE.owner, customer);
      const ada = w.user('ada', customer);
      w.bind(ada, ROLE.admin, customer);
      return { customer, ada: w.session(ada) };
    });
    const rows = 'name,kind,os,status,lastBackupAt,group\r\nÄrzte-PC,workstation,Windows 11,ok,,Customer One\r\n';
    const file = (name: string, bytes: Buffer) => {
      const path = join(home.dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const json = JSON.stringify([
      { name: 'J-1', kind: 'workstation', os: 'Windows 11', status: 'ok', lastBackupAt: null, group: 'Customer One' },
    ]);
    const run = (path: string) => stewardCli(cli.file, home.dir, c.proc.url, c.ada, ['devices', 'import', path, '--dry-run']);
    const cases: Array<[string, Buffer, number, RegExp]> = [
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows, 'utf8')]), 0, /1 rows pass, 0 refused/],
      ['bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')]), 0, /1 rows pass, 0 refused/],
      ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')]), 2, /save the file as UTF-8/],
      ['utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), 2, /save the file as UTF-8/],
      ['latin1.csv', Buffer.from(rows, 'latin1'), 2, /line 2, name: .*save the file as UTF-8/],
      ['semicolons.csv', Buffer.from(rows.replace(/,/g, ';'), 'utf8'), 2, /separated by semicolons; save the file as CSV with commas/],
    ];
    for (const [name, bytes, code, says] of cases) {
      const answer = await run(file(name, bytes));
      expect(answer.out, name).toMatch(says);
      expect(answer.code, `${name}: ${answer.out}`).toBe(code);
    }
    expect(folderRows(c.dir, 'SELECT name FROM devices')).toEqual([]);
  }, 120_000);
});

describe('outsider wave 2: a technician names a member on the command line', () => {
  it('`devices assign --to tom` finds Tom in a company whose 60 other people all match "tom" (their email domain holds it)', async () => {
    const cli = await bundleForNode('cli/steward.ts');
    cleanups.push(() => cli.remove());
    const home = tempDir('steward-cli-home-');
    cleanups.push(() => home.remove());
    const c = await webConsole((w) => {
      const customer = w.group(w.rootId, 'customer', 'Tomato Inc');
      w.bind(w.user('tomato-owner', customer), ROLE.owner, customer);
      const ada = w.user('ada', customer);
      w.bind(ada, ROLE.admin, customer);
      const rename = w.steward.db.prepare('UPDATE users SET username = ?, full_name = ?, email = ? WHERE id = ?');
      for (let i = 0; i < 60; i += 1) {
        const id = w.user('person', customer);
        w.bind(id, ROLE.operator, customer);
        rename.run(`person${i}`, `A Person ${i}`, `person${i}@tomato.test`, id);
      }
      const tom = w.user('tom', customer);
      w.bind(tom, ROLE.operator, customer);
      rename.run('tom', 'Zed Tom', 'tom@tomato.test', tom);
      w.device(customer, 'tom-laptop');
      return { customer, ada: w.session(ada) };
    });
    const planned = await stewardCli(cli.file, home.dir, c.proc.url, c.ada, [
      'devices',
      'assign',
      '--group-id',
      c.customer,
      '--assignment',
      'unassigned',
      '--to',
      'tom',
      '--dry-run',
    ]);
    expect(planned.out).toMatch(/1 pairs to assign/);
    expect(planned.code, planned.out).toBe(0);
  }, 120_000);
});

describe.skipIf(slapdMissing() !== null)('outsider wave 2: department names from a directory (R24, R29)', () => {
  it('"Sales" and "sales" are one department, a directory "Ärzte" takes over a hand-made "ärzte", and invisible names are skipped with the reason', async () => {
    const people = [0, 1, 2, 3].map((i) => ({ uid: `p${i}`, mail: `p${i}@contoso.test`, departments: ['Plain'] }));
    const directory = await startSlapd(people);
    cleanups.push(() => directory.close());
    const admin = await directory.admin();
    const set = (uid: string, values: string[]) =>
      admin.modify(`uid=${uid},ou=people,${BASE_DN}`, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'departmentNumber', values }) }),
      ]);
    // Directories spell one department several ways; people type zero-width spaces by pasting.
    await set('p0', ['Sales']);
    await set('p1', ['sales']);
    await set('p2', ['Ärzte']);
    await set('p3', ['Beta\u200b', '\u2800']);
    await admin.unbind();

    const c = await webConsole((w) => {
      const company = w.group(w.rootId, 'customer', 'Contoso');
      const carol = w.user('carol', company);
      w.bind(carol, ROLE.owner, company);
      const ids = [0, 1, 2, 3].map((i) => {
        const id = w.user(`p${i}`, company);
        w.steward.db.prepare('UPDATE users SET email = ? WHERE id = ?').run(`p${i}@contoso.test`, id);
        return id;
      });
      const aerzte = w.group(company, 'department', 'ärzte');
      return { company, aerzte, ids, carol: w.session(carol) };
    });
    const carol = c.as(c.carol);
    const configured = await carol('directory.configure', {
      companyId: c.company,
      baseVersion: 0,
      ...directorySettings(directory.url),
      enabled: true,
    });
    expect(configured.body, JSON.stringify(configured.body)).toMatchObject({ ok: true });
    const report = await carol('directory.syncNow', { companyId: c.company });
    expect(report.body).toMatchObject({ ok: true });
    expect(
      [...(report.body.value.skipped as Array<{ entry: string; reason: string }>)].sort((a, b) => (a.entry < b.entry ? -1 : 1)),
    ).toEqual([
      { entry: 'Beta\u200b', reason: expect.stringMatching(/invisible character \(U\+200B at position 5\)/) },
      { entry: '\u2800', reason: expect.stringMatching(/invisible character \(U\+2800 at position 1\)/) },
    ]);
    expect(groupsUnder(c.dir, c.company)).toEqual([
      { name: 'Sales', kind: 'department' },
      { name: 'ärzte', kind: 'department' },
    ]);
    const memberOf = (userId: string) =>
      folderRows<{ name: string }>(
        c.dir,
        'SELECT g.name FROM user_departments m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.name',
        userId,
      ).map((r) => r.name);
    expect(memberOf(c.ids[0] ?? '')).toEqual(['Sales']);
    expect(memberOf(c.ids[1] ?? '')).toEqual(['Sales']);
    expect(memberOf(c.ids[2] ?? '')).toEqual(['ärzte']);
    expect(memberOf(c.ids[3] ?? '')).toEqual([]);
    // The next run changes nothing: the same spellings read the same way again.
    const second = await carol('directory.syncNow', { companyId: c.company });
    expect(second.body).toMatchObject({ ok: true, value: { departments: { added: [], removed: [] }, people: { changed: [] } } });
  }, 90_000);
});

describe('outsider wave 2: single sign-on claimed by the company beside', () => {
  // R28: a company lists an email domain only when everyone with an email there is its own; the
  // sign-in page routes a person only to their own company's provider.
  it('a customer’s Admin cannot claim the email domain of the people of a customer beside', async () => {
    const idp = await startIdp();
    cleanups.push(() => idp.close());
    const c = await webConsole((w) => {
      const one = w.group(w.rootId, 'customer', 'Customer One');
      const two = w.group(w.rootId, 'customer', 'Customer Two');
      w.bind(w.user('one-owner', one), ROLE.owner, one);
      const twoOwner = w.user('two-owner', two);
      w.bind(twoOwner, ROLE.owner, two);
      w.steward.db.prepare("UPDATE users SET email = 'boss@two.test' WHERE id = ?").run(twoOwner);
      const ada = w.user('ada', one);
      w.bind(ada, ROLE.admin, one);
      return { one, ada: w.session(ada) };
    });
    const ada = c.as(c.ada);
    const settings = {
      companyId: c.one,
      preset: 'generic',
      displayName: 'Microsoft',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: 'secret of customer one',
      enforced: false,
      trustProviderMfa: false,
    };
    // Its own domain first: nobody outside Customer One has an email there.
    const own = await ada('sso.configure', { ...settings, baseVersion: 0, allowedDomains: ['one.test'] });
    expect(own.body).toMatchObject({ ok: true, value: { allowedDomains: ['one.test'], version: 1 } });
    const ssoRows = () => folderRows(c.dir, 'SELECT company_id, allowed_domains, version FROM sso_providers ORDER BY company_id');
    const stored = ssoRows();
    const claimed = await ada('sso.configure', { ...settings, baseVersion: 1, allowedDomains: ['one.test', 'TWO.test.'] });
    expect(claimed.body).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'allowedDomains.1', message: expect.stringMatching(/two\.test.*R28/) },
    });
    // R13: the refusal names the domain and the rule, not who has an email there or where.
    expect((claimed.body as { error: { message: string } }).error.message).not.toMatch(/boss|Customer Two|two-owner/);
    expect(ssoRows()).toEqual(stored);
    expect((await ada('sso.get', { companyId: c.one })).body).toMatchObject({
      ok: true,
      value: { allowedDomains: ['one.test'], version: 1 },
    });
    const offered = await c.as('')('auth.ssoOptions', { email: 'boss@two.test' });
    expect(offered.body).toMatchObject({ ok: true, value: { providers: [] } });
  }, 60_000);
});

// ——— The hub ———

type Person = Credentials & { id: string; session: string };

async function hubWith(): Promise<{ dir: string; proc: RunningProcess; certificate: string; ada: Person; otto: Person; customer: string }> {
  const folder = tempDir('steward-hub-');
  cleanups.push(() => folder.remove());
  const w = new World(tempSteward({ dir: folder.dir, background: false }));
  const customer = w.group(w.rootId, 'customer', 'Customer One');
  w.bind(w.user('one-owner', customer), ROLE.owner, customer);
  const ids = { ada: w.user('ada', customer), otto: w.user('otto', customer) };
  w.bind(ids.ada, ROLE.admin, customer);
  w.bind(ids.otto, ROLE.operator, customer);
  const hash = await hashPassword('a long and unusual passphrase', randomBytes(16));
  const person = async (id: string): Promise<Person> => ({
    ...(await giveCredentials(w.steward, id, 'a long and unusual passphrase', hash)),
    id,
    session: w.session(id),
  });
  const people = { ada: await person(ids.ada), otto: await person(ids.otto) };
  w.steward.close();
  const proc = await startHub(bundled().hub, folder.dir);
  cleanups.push(() => proc.stop());
  const { certificate } = await fetchCertificate(proc.url);
  return { dir: folder.dir, proc, certificate, customer, ...people };
}

/** One HTTPS request to the hub, trusting its certificate; answers status and parsed JSON. */
function hubRequest(
  h: { proc: RunningProcess; certificate: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = { method, ca: h.certificate, headers: { 'Content-Type': 'application/json', ...headers } };
    const req = request(new URL(path, h.proc.url), options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: parsedOrNull(text) });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? '' : JSON.stringify(body));
  });
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

describe('outsider wave 2: the hub', () => {
  it('an Operator’s change stream at /sync/events ends when the Operator is disabled (R18), instead of going on', async () => {
    const h = await hubWith();
    const connected = await hubRequest(h, 'POST', '/sync/connect', {
      installation: randomUUID(),
      username: h.otto.username,
      password: h.otto.password,
      code: await codeFor(h.otto.secret, Date.now()),
    });
    expect(connected.body).toMatchObject({ ok: true });
    const token = connected.body.value.token as string;
    // What the stream says, and whether it ended, as the Operator's replica sees it.
    const stream = await new Promise<{ events: string[]; ended: Promise<'ended'>; after: (n: number) => Promise<string> }>(
      (resolve, reject) => {
        const events: string[] = [];
        const waiting: Array<{ n: number; resolve: (event: string) => void }> = [];
        const req = request(
          new URL('/sync/events', h.proc.url),
          { ca: h.certificate, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            let buffer = '';
            const ended = new Promise<'ended'>((done) => res.on('end', () => done('ended')));
            res.on('data', (chunk: Buffer) => {
              buffer += chunk.toString('utf8');
              for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n')) {
                const event = buffer.slice(0, at);
                buffer = buffer.slice(at + 2);
                events.push(event);
                for (const w of waiting.splice(0)) {
                  if (events.length > w.n) w.resolve(events[w.n] ?? '');
                  else waiting.push(w);
                }
              }
            });
            // The event after the first `n`, whenever it came.
            const after = (n: number) =>
              new Promise<string>((r) => (events.length > n ? r(events[n] ?? '') : waiting.push({ n, resolve: r })));
            resolve({ events, ended, after });
          },
        );
        req.on('error', reject);
        req.end();
        cleanups.push(() => void req.destroy());
      },
    );
    // The first event says where the log stands.
    const first = await stream.after(0);
    expect(first).toMatch(/^event: change\ndata: \d+$/);

    const disabled = await hubRequest(
      h,
      'POST',
      '/api/users.setStatus',
      { id: h.otto.id, status: 'disabled' },
      {
        cookie: `steward_session_${new URL(h.proc.url).port}=${h.ada.session}; steward_csrf_${new URL(h.proc.url).port}=x`,
        'x-steward-csrf': 'x',
      },
    );
    expect(disabled.body).toMatchObject({ ok: true });
    const health = await hubRequest(h, 'GET', '/sync/health');
    const headAfterDisable = (health.body.value as { head: number }).head;
    // The disabling moved the log: the stream ends, saying why, and hears of nothing from the disable on.
    // (A change of before the disable, such as the connection's own, may still have been told.)
    expect(await stream.ended).toBe('ended');
    expect(stream.events.at(-1)).toMatch(/^event: ended\ndata: ".+"$/);
    const told = stream.events.flatMap((e) => /^event: change\ndata: (\d+)$/.exec(e)?.[1] ?? []).map(Number);
    expect(told.filter((head) => head >= headAfterDisable)).toEqual([]);
    expect((await hubRequest(h, 'GET', '/sync/events', undefined, { Authorization: `Bearer ${token}` })).status).toBe(401);
  }, 60_000);

  // Was a finding: a hub on a new data folder took its first-run setup from whoever reached it
  // first, and `npm run hub` listens on 0.0.0.0 by default; whoever set it up was the provider's
  // Owner, above every company added later. Now (R35) it takes it only with the one-time setup
  // code it printed and keeps in its data folder, from loopback too (a reverse proxy's callers
  // arrive from 127.0.0.1).
  async function newHub() {
    const folder = tempDir('steward-hub-');
    cleanups.push(() => folder.remove());
    const proc = await startHub(bundled().hub, folder.dir);
    cleanups.push(() => proc.stop());
    const { certificate } = await fetchCertificate(proc.url);
    const h = { proc, certificate };
    const csrf = await hubRequest(h, 'GET', '/api/csrf');
    expect(csrf.status).toBe(200);
    const port = new URL(proc.url).port;
    const headers = { cookie: `steward_csrf_${port}=x`, 'x-steward-csrf': 'x' };
    const setup = (input: Record<string, unknown>) =>
      hubRequest(
        h,
        'POST',
        '/api/auth.setup',
        {
          rootGroupName: 'Mine Now',
          username: 'stranger',
          email: 'stranger@example.test',
          fullName: 'A Stranger',
          password: 'a long and unusual passphrase',
          ...input,
        },
        headers,
      );
    return { folder, h, headers, setup };
  }

  it('a new hub does not take its first-run setup from anyone who reaches it over the network', async () => {
    const { folder, h, headers, setup } = await newHub();
    const status = await hubRequest(h, 'POST', '/api/auth.status', {}, headers);
    expect(status.body.value).toMatchObject({ setupRequired: true, setupCodeRequired: true });

    const stranger = await setup({});
    expect(stranger.status).toBe(400);
    expect(stranger.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'setupCode' } });
    const guess = await setup({ setupCode: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' });
    expect(guess.status).toBe(403);
    expect(guess.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'setupCode' } });
    // Nothing was created: the hub is still waiting for its administrator.
    expect(folderRows(folder.dir, 'SELECT id FROM users')).toEqual([]);
    expect(folderRows(folder.dir, 'SELECT id FROM groups')).toEqual([]);
    expect((await hubRequest(h, 'POST', '/api/auth.status', {}, headers)).body.value).toMatchObject({ setupRequired: true });
  }, 60_000);

  it('the administrator sets a new hub up with the code it printed; the code is spent', async () => {
    const { folder, h, setup } = await newHub();
    const file = join(folder.dir, 'setup-code');
    const code = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(h.proc.output()).toContain(`First-run setup code: ${code} (also in ${file};`);

    const done = await setup({ setupCode: code });
    expect(done.body).toMatchObject({ ok: true, value: { stage: 'enroll', user: { username: 'stranger' } } });
    expect(existsSync(file)).toBe(false);
    expect(folderRows(folder.dir, 'SELECT username FROM users')).toEqual([{ username: 'stranger' }]);
    expect((await setup({ setupCode: code, username: 'second' })).body).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
  }, 60_000);
});

describe('outsider wave 2: two consoles on one data folder', () => {
  it('a web console is refused on a folder a hub holds, naming it; a lock that holds the new process’s own pid (a container restarted) is stale', async () => {
    const folder = tempDir('steward-lock-');
    cleanups.push(() => folder.remove());
    const hub = await startHub(bundled().hub, folder.dir);
    const second = runWebProcess(process.execPath, [bundled().web, '--data', folder.dir, '--port', '0']);
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by Steward's hub (pid ${String(hub.proc.pid)}`);
    await hub.stop();

    // The container's console was killed; the restarted one gets the same pid, and finds it in the lock.
    // `exec` keeps the shell's pid: the lock names the very process that then opens the folder.
    const script =
      `printf '{"pid":%s,"what":"web console","host":"%s","since":"2026-01-01T00:00:00.000Z"}\\n' "$$" "$HOST_NAME" > "$LOCK" && ` +
      'exec "$NODE" "$WEB" --data "$DATA" --port 0';
    const again = runWebProcess('sh', ['-c', script], {
      env: {
        ...process.env,
        HOST_NAME: hostname(),
        LOCK: join(folder.dir, LOCK_FILE),
        NODE: process.execPath,
        WEB: bundled().web,
        DATA: folder.dir,
      },
    });
    cleanups.push(async () => {
      again.child.kill('SIGTERM');
      await again.exited;
    });
    const outcome = await Promise.race([again.ready.then(() => 'started'), again.exited.then((e) => `exited: ${e.stderr}`)]);
    expect(outcome).toBe('started');
    const holder = JSON.parse(readFileSync(join(folder.dir, LOCK_FILE), 'utf8')) as { pid: number; since: string };
    expect(holder.pid).toBe(again.child.pid);
    expect(holder.since).not.toBe('2026-01-01T00:00:00.000Z');
  }, 60_000);
});

// ——— npm run, stopped as a service manager stops it ———

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function until(check: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * `npm run -s <script> -- args`: `when(pattern)` resolves once its output shows `pattern`;
 * `closed` once every process holding its output (npm, the wrapper, the console) is gone.
 */
function npmRun(script: string, args: string[]) {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STEWARD_LOG: 'quiet' },
  });
  let out = '';
  const watchers: Array<{ pattern: RegExp; resolve: (text: string) => void }> = [];
  const take = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of watchers.splice(0)) {
      if (w.pattern.test(out)) w.resolve(out);
      else watchers.push(w);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const closed = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  const when = (pattern: RegExp) =>
    new Promise<string>((resolve) => (pattern.test(out) ? resolve(out) : watchers.push({ pattern, resolve })));
  return { child, when, closed, output: () => out };
}

/** Stops whatever Steward process still holds `dir` (a test that failed leaves it behind otherwise). */
function stopHolder(dir: string): void {
  const file = join(dir, LOCK_FILE);
  if (!existsSync(file)) return;
  const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number };
  if (holder.pid && holder.pid !== process.pid) {
    try {
      process.kill(holder.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

describe('outsider wave 2: npm run and signals', () => {
  it('SIGTERM to `npm run hub` stops the hub: its port and its data folder are free again', async () => {
    const folder = tempDir('steward-hub-');
    cleanups.push(() => folder.remove());
    cleanups.push(() => stopHolder(folder.dir));
    const hub = npmRun('hub', ['--data', folder.dir, '--listen', '127.0.0.1:0']);
    const started = await Promise.race([hub.when(/fingerprint[^\n]*\n/), hub.closed.then(() => '')]);
    const url = /Steward hub: (\S+)/.exec(started)?.[1];
    expect(url, hub.output()).toBeDefined();
    const port = Number(new URL(url ?? '').port);
    expect(await portIsFree(port)).toBe(false);
    process.kill(hub.child.pid ?? 0, 'SIGTERM');
    expect(await until(() => portIsFree(port))).toBe(true);
    expect(await until(() => !existsSync(join(folder.dir, LOCK_FILE)))).toBe(true);
  }, 300_000);

  it('SIGTERM to `npm run web` while it builds: the console never starts', async () => {
    const folder = tempDir('steward-web-');
    cleanups.push(() => folder.remove());
    cleanups.push(() => stopHolder(folder.dir));
    const web = npmRun('web', ['--port', '0', '--data', folder.dir]);
    await Promise.race([web.when(/Building Steward/), web.closed]);
    process.kill(web.child.pid ?? 0, 'SIGTERM');
    // Either every process of it is gone, or a console came up after all (and said so).
    const outcome = await Promise.race([
      web.closed.then(() => 'all stopped'),
      web.when(/Steward web console: /).then(() => 'a console started'),
    ]);
    expect(outcome, web.output()).toBe('all stopped');
    expect(existsSync(join(folder.dir, LOCK_FILE))).toBe(false);
  }, 300_000);
});
