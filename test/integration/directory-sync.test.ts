import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Change, Attribute } from 'ldapts';
import type { DirectoryReport, DirectoryView } from '../../shared/contract';
import {
  BASE_DN,
  ADMIN_DN,
  ADMIN_PASSWORD,
  directorySettings,
  slapdMissing,
  startSlapd,
  type Person,
  type TestDirectory,
} from '../helpers/slapd';
import { manualClock, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 14: departments synced from a real OpenLDAP directory (Debian's slapd, started by the
 * test on loopback with an LDIF fixture of 200 people in 12 departments). The first sync
 * creates the departments and memberships; after the directory changes (a person moves, a
 * department disappears) the next applies exactly the difference and reports it.
 */
const missing = slapdMissing();
const DEPARTMENTS = [
  'Engineering',
  'Facilities',
  'Finance',
  'HR',
  'Legal',
  'Marketing',
  'Operations',
  'Procurement',
  'Research',
  'Sales',
  'Security',
  'Support',
];

function fixture(): Person[] {
  const people: Person[] = [];
  for (let i = 0; i < 200; i += 1) {
    const departments = [DEPARTMENTS[i % 12] ?? ''];
    if (i % 50 === 0) departments.push(DEPARTMENTS[(i + 1) % 12] ?? '');
    people.push({ uid: `p${i}`, mail: `person${i}@contoso.test`, departments });
  }
  // In the directory, but not in Steward: skipped with the reason.
  people.push({ uid: 'contractor', mail: 'contractor@contoso.test', departments: ['Sales'] });
  return people;
}

describe.skipIf(missing !== null)(`directory departments over LDAP${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let directory: TestDirectory;
  let w: World;
  let company: string;
  let board: string;
  const ids = new Map<number, string>();
  const clock = manualClock();

  beforeAll(async () => {
    directory = await startSlapd(fixture());
    w = new World(tempSteward({ clock, background: false }), clock);
    company = w.group(w.rootId, 'customer', 'Contoso');
    const owner = w.user('carol', company);
    w.bind(owner, ROLE.owner, company);
    const insert = w.steward.db.prepare('UPDATE users SET email = ?, username = ? WHERE id = ?');
    for (let i = 0; i < 200; i += 1) {
      const id = w.user(`person${i}`, company);
      insert.run(`PERSON${i}@contoso.test`, `person${i}`, id);
      ids.set(i, id);
    }
    // A department made by hand, with a membership set by hand: the sync leaves both alone.
    board = w.group(company, 'department', 'Board');
    w.steward.db.prepare('INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)').run(ids.get(1), board);
  });
  afterAll(async () => {
    w?.cleanup();
    await directory?.close();
  });

  function memberships(): Map<string, string[]> {
    const rows = w.steward.db
      .prepare(
        `SELECT u.username, g.name FROM user_departments m JOIN users u ON u.id = m.user_id JOIN groups g ON g.id = m.group_id
          ORDER BY u.username, g.name`,
      )
      .all() as Array<{ username: string; name: string }>;
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.username, [...(out.get(r.username) ?? []), r.name]);
    return out;
  }

  it('is off until turned on; the first sync creates the 12 departments and every membership, and reports it', async () => {
    const configured = await w.ok<DirectoryView>(w.ownerId, 'directory.configure', {
      companyId: company,
      baseVersion: 0,
      ...directorySettings(directory.url),
      enabled: false,
    });
    expect(configured).toMatchObject({ enabled: false, hasPassword: true, departments: [] });
    expect(await w.call(w.ownerId, 'directory.syncNow', { companyId: company })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await w.ok(w.ownerId, 'directory.configure', {
      companyId: company,
      baseVersion: 1,
      url: directory.url,
      bindDn: ADMIN_DN,
      baseDn: `ou=people,${BASE_DN}`,
      filter: '(objectClass=inetOrgPerson)',
      departmentAttribute: 'departmentNumber',
      emailAttribute: 'mail',
      enabled: true,
    });

    const report = await w.ok<DirectoryReport>(w.ownerId, 'directory.syncNow', { companyId: company });
    expect(report.stopped).toBeNull();
    expect(report.departments.added).toEqual(DEPARTMENTS);
    expect(report.departments.removed).toEqual([]);
    expect(report.people.changed).toHaveLength(200);
    expect(report.skipped).toEqual([{ entry: 'contractor@contoso.test', reason: 'no Steward account of this company has this email' }]);

    const now = memberships();
    for (const person of fixture().slice(0, 200)) {
      const hand = person.uid === 'p1' ? ['Board'] : [];
      expect(now.get(person.mail.split('@')[0] ?? '')).toEqual([...person.departments, ...hand].sort());
    }
    const view = await w.ok<DirectoryView>(w.ownerId, 'directory.get', { companyId: company });
    expect(view.departments.map((d) => d.name)).toEqual(DEPARTMENTS);
    expect(view.departments[0]?.source).toBe(`LDAP ${directory.url}`);
    expect(view.lastReport?.departments.added).toEqual(DEPARTMENTS);
    // One audit event for the run, with its report.
    const events = w.steward.db
      .prepare("SELECT after FROM audit_events WHERE action = 'directory.syncNow' AND outcome = 'success'")
      .all() as Array<{ after: string }>;
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.after ?? '{}').report.departments.added).toEqual(DEPARTMENTS);
  });

  it('a synced department cannot be renamed or removed by hand while the sync is on', async () => {
    const finance = (w.steward.db.prepare("SELECT id FROM groups WHERE name = 'Finance'").get() as { id: string }).id;
    expect(
      await w.call(w.ownerId, 'groups.update', { id: finance, baseVersion: w.version('group', finance), name: 'Money' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: expect.stringContaining('synced from LDAP') },
    });
    expect(await w.call(w.ownerId, 'groups.remove', { id: finance })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // A department made by hand is still the people's to rename.
    expect(await w.call(w.ownerId, 'groups.update', { id: board, baseVersion: w.version('group', board), name: 'Board' })).toMatchObject({
      ok: true,
    });
  });

  it('after a person moves and a department disappears, the weekly run (a system command) applies exactly the difference', async () => {
    const inProcurement = fixture().filter((p) => p.departments.includes('Procurement'));
    const admin = await directory.admin();
    try {
      // person5 moves from Marketing to Research.
      await admin.modify(`uid=p5,ou=people,${BASE_DN}`, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'departmentNumber', values: ['Research'] }) }),
      ]);
      // Procurement is gone from the directory: nobody is in it any more.
      for (const person of inProcurement) {
        await admin.modify(`uid=${person.uid},ou=people,${BASE_DN}`, [
          new Change({ operation: 'delete', modification: new Attribute({ type: 'departmentNumber', values: ['Procurement'] }) }),
        ]);
      }
    } finally {
      await admin.unbind();
    }
    const before = memberships();
    // Not due yet: a week has not passed.
    await w.steward.directory.runDue();
    expect(memberships()).toEqual(before);
    clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
    await w.steward.directory.runDue();

    const event = w.steward.db
      .prepare("SELECT actor_name, after FROM audit_events WHERE action = 'directory.syncScheduled' ORDER BY seq DESC LIMIT 1")
      .get() as { actor_name: string; after: string };
    expect(event.actor_name).toBe('System (directory sync)');
    const report = JSON.parse(event.after).report as DirectoryReport;
    expect(report.trigger).toBe('scheduled');
    expect(report.departments).toEqual({ added: [], removed: ['Procurement'] });
    const procurement = inProcurement.map((p) => ({ username: p.mail.split('@')[0] ?? '', added: [], removed: ['Procurement'] }));
    expect(inProcurement.length).toBeGreaterThan(10);
    expect(report.people.changed).toEqual(
      [{ username: 'person5', added: ['Research'], removed: ['Marketing'] }, ...procurement].sort((a, b) =>
        a.username.localeCompare(b.username),
      ),
    );
    expect(report.people.unchanged).toBe(200 - 1 - procurement.length);

    const after = memberships();
    expect(after.get('person5')).toEqual(['Research']);
    expect(after.get('person7')).toBeUndefined();
    expect(after.get('person150')).toEqual(['Operations']);
    expect(after.get('person1')).toEqual(['Board', 'Facilities']);
    expect(w.steward.db.prepare("SELECT count(*) AS n FROM groups WHERE name = 'Procurement'").get()).toEqual({ n: 0 });
    // Everyone else is as before.
    for (const [username, names] of before)
      if (username !== 'person5' && !procurement.some((p) => p.username === username)) expect(after.get(username)).toEqual(names);
  });

  it('the bind password is sealed and written nowhere else', async () => {
    const text = [
      ...w.steward.db.prepare('SELECT before, after FROM audit_events').all(),
      ...w.steward.db.prepare('SELECT row FROM changes').all(),
      ...w.steward.db.prepare('SELECT envelope FROM command_log').all(),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(text).not.toContain(ADMIN_PASSWORD);
  });

  it('a directory that cannot be read is reported with the reason, and nothing changes', async () => {
    const before = memberships();
    const view = await w.ok<DirectoryView>(w.ownerId, 'directory.get', { companyId: company });
    await w.ok(w.ownerId, 'directory.configure', {
      companyId: company,
      baseVersion: view.version,
      ...view.settings,
      password: 'not the password',
      enabled: true,
    });
    const report = await w.ok<DirectoryReport>(w.ownerId, 'directory.syncNow', { companyId: company });
    expect(report.stopped).toMatch(/could not be read.*Invalid credentials/i);
    expect(memberships()).toEqual(before);
  });
});
