import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceListOutput, ImportReport } from '../../shared/contract';
import { startWebServer } from '../../main/transports/http/server';
import { ROLE, World } from '../helpers/world';

/** Issue 6: importing devices from CSV or JSON; malformed files give a full report and change nothing unless asked. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const berlin = w.group(acme, 'location', 'Berlin');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  // A second "Berlin", so that the bare name is ambiguous for a provider-wide importer.
  const globexBerlin = w.group(globex, 'location', 'Berlin');
  const people = { admin: w.user('admin', acme), operator: w.user('operator', acme), globexAdmin: w.user('gadmin', globex) };
  w.bind(people.admin, ROLE.admin, acme);
  w.bind(people.operator, ROLE.operator, acme);
  w.bind(people.globexAdmin, ROLE.admin, globex);
  return { w, acme, berlin, globex, globexBerlin, people };
}

const HEADER = 'name,kind,os,status,lastBackupAt,group';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';
const deviceCount = (w: World) => w.steward.count('devices');
const importAs = (w: World, userId: string, input: Record<string, unknown>) =>
  w.ok<ImportReport>(userId, 'devices.import', { format: 'csv', mode: 'all-or-nothing', ...input });

describe('devices.import: good files', () => {
  it('imports CSV rows into groups named by path or unique tail, reading labels and ISO times', async () => {
    const { w, people, berlin, acme } = company();
    const report = await importAs(w, people.admin, {
      content: csv(
        'ws-001,workstation,Windows 11,ok,2024-05-01T13:45:00Z,Acme / Berlin',
        'srv-001,Server,Windows Server 2022,Never backed up,,Acme',
        '"nas, main",storage,,warning,2024-05-02,Provider / Acme',
        `tenant-1,cloud tenant,Microsoft 365,failed,2024-05-03 08:00:00,${berlin}`,
      ),
    });
    expect(report).toEqual({
      accepted: 4,
      rejectedTotal: 0,
      problemTotal: 0,
      rejected: [],
      imported: 4,
      dryRun: false,
      mode: 'all-or-nothing',
    });
    const list = await w.ok<DeviceListOutput>(people.admin, 'devices.list', {});
    expect(list.rows.map((r) => [r.name, r.kind, r.os, r.status, r.lastBackupAt, r.groupId])).toEqual([
      ['nas, main', 'storage', '', 'warning', Date.parse('2024-05-02T00:00:00Z'), acme],
      ['srv-001', 'server', 'Windows Server 2022', 'never', null, acme],
      ['tenant-1', 'cloud_tenant', 'Microsoft 365', 'failed', Date.parse('2024-05-03T08:00:00Z'), berlin],
      ['ws-001', 'workstation', 'Windows 11', 'ok', Date.parse('2024-05-01T13:45:00Z'), berlin],
    ]);
    const event = w.steward.db.prepare("SELECT after FROM audit_events WHERE action = 'devices.import'").get() as { after: string };
    expect(JSON.parse(event.after)).toMatchObject({ rows: 4, accepted: 4, imported: 4, rejected: 0 });
  });

  it('imports JSON, and an export imported elsewhere gives back the same devices', async () => {
    const { w, people, berlin, globex } = company();
    const json = JSON.stringify([
      { name: 'a', kind: 'server', os: 'Ubuntu 22.04', status: 'ok', lastBackupAt: '2024-01-01T00:00:00Z', group: 'Acme / Berlin' },
      { name: '=cmd', kind: 'workstation', status: 'never', lastBackupAt: null },
    ]);
    const report = await w.ok<ImportReport>(people.admin, 'devices.import', {
      format: 'json',
      content: json,
      mode: 'all-or-nothing',
      defaultGroupId: berlin,
    });
    expect(report.imported).toBe(2);
    const exported = await w.ok<{ content: string }>(people.admin, 'devices.export', { format: 'csv' });
    // Formula-looking names are defused in the file and restored on the way back in.
    expect(exported.content).toContain("'=cmd");
    const provider = w.user('provider', w.rootId);
    w.bind(provider, ROLE.owner, globex);
    const again = await w.ok<ImportReport>(provider, 'devices.import', {
      format: 'csv',
      content: exported.content.replace(/Provider \/ Acme \/ Berlin/g, 'Globex'),
      mode: 'all-or-nothing',
    });
    expect(again.imported).toBe(2);
    const names = (
      w.steward.db.prepare('SELECT name FROM devices WHERE group_id = ? ORDER BY name').all(globex) as Array<{ name: string }>
    ).map((r) => r.name);
    expect(names).toEqual(['=cmd', 'a']);
  });

  it('a dry run reports without writing, and the trail names it a check, not an import (issue 15, finding 8)', async () => {
    const { w, people } = company();
    const report = await importAs(w, people.admin, { content: csv('x,server,,ok,,Acme'), dryRun: true });
    expect(report).toMatchObject({ accepted: 1, imported: 0, dryRun: true });
    expect(deviceCount(w)).toBe(0);
    await importAs(w, people.admin, { content: csv('x,server,,ok,,Acme') });
    const events = w.steward.db
      .prepare("SELECT action, target_name AS name FROM audit_events WHERE action LIKE 'devices.import%' ORDER BY seq")
      .all();
    expect(events).toEqual([
      { action: 'devices.import.dryRun', name: 'CSV import check (dry run)' },
      { action: 'devices.import', name: 'CSV import' },
    ]);
  });

  it('counts rows, not problems: a row with two mistakes is one row rejected, with both problems listed (issue 15, finding 10)', async () => {
    const { w, people } = company();
    const report = await importAs(w, people.admin, {
      content: csv('good-1,server,,ok,,Acme', 'bad-1,toaster,,exploded,,Acme', 'bad-2,server,,exploded,,Acme', 'good-2,server,,ok,,Acme'),
      dryRun: true,
    });
    expect(report).toMatchObject({ accepted: 2, rejectedTotal: 2, problemTotal: 3 });
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [3, 'kind'],
      [3, 'status'],
      [4, 'status'],
    ]);
  });
});

describe('devices.import: malformed files change nothing unless asked', () => {
  it('bad encoding: a Latin-1 file read as UTF-8 is reported on its line and field', async () => {
    const { w, people } = company();
    const latin1 = Buffer.from(csv('ok-1,server,,ok,,Acme', 'Müller-PC,workstation,,ok,,Acme', 'ok-2,server,,ok,,Acme'), 'latin1');
    // What the console's file picker does: decode as UTF-8, undecodable bytes become U+FFFD.
    const content = new TextDecoder('utf-8').decode(latin1);
    const report = await importAs(w, people.admin, { content });
    expect(report).toMatchObject({ accepted: 2, rejectedTotal: 1, imported: 0 });
    expect(report.rejected[0]).toMatchObject({ line: 3, field: 'name' });
    expect(report.rejected[0]?.reason).toMatch(/not valid UTF-8/);
    expect(deviceCount(w)).toBe(0);
    const good = await importAs(w, people.admin, { content, mode: 'good-rows' });
    expect(good).toMatchObject({ accepted: 2, rejectedTotal: 1, imported: 2 });
    expect(deviceCount(w)).toBe(2);
  });

  it('wrong or missing columns refuse the whole file, even when good rows are asked for', async () => {
    const { w, people } = company();
    const files: Array<[string, RegExp]> = [
      ['name,kind,os,state,lastBackupAt,group\r\nx,server,,ok,,Acme\r\n', /Unknown column "state"/],
      ['name,kind,os,lastBackupAt,group\r\nx,server,,,Acme\r\n', /Missing column: status/],
      ['name,kind,status,name,group\r\nx,server,ok,y,Acme\r\n', /appears twice/],
      ['', /empty/],
    ];
    for (const [content, reason] of files) {
      const report = await importAs(w, people.admin, { content, mode: 'good-rows' });
      expect(report.imported, content).toBe(0);
      expect(report.rejected[0]?.reason, content).toMatch(reason);
    }
    // A row with the wrong number of values, and one with a broken quote, are refused on their own lines.
    const rows = await importAs(w, people.admin, { content: csv('a,server,,ok,Acme', 'b,server,,ok,,"Acme', 'c,server,,ok,,Acme') });
    expect(rows.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'Expected 6 values, found 5'],
      [3, 'A quoted value is not closed'],
    ]);
    expect(deviceCount(w)).toBe(0);
    const json = await w.ok<ImportReport>(people.admin, 'devices.import', { format: 'json', content: '{"name":"x"}', mode: 'good-rows' });
    expect(json.rejected[0]?.reason).toMatch(/JSON array/);
    const badKey = await w.ok<ImportReport>(people.admin, 'devices.import', {
      format: 'json',
      content: '[{"name":"x","kind":"server","status":"ok","group":"Acme","colour":"red"}]',
      mode: 'good-rows',
    });
    expect(badKey.rejected[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/Unknown column "colour"/) as unknown });
  });

  it('duplicate names, within the file and against devices already in the group (case-insensitive)', async () => {
    const { w, people } = company();
    await importAs(w, people.admin, { content: csv('srv-01,server,,ok,,Acme') });
    const report = await importAs(w, people.admin, {
      content: csv(
        'SRV-01,server,,ok,,Acme',
        'ws-1,workstation,,ok,,Acme',
        'WS-1,workstation,,ok,,Acme',
        'ws-1,workstation,,ok,,Acme / Berlin',
      ),
    });
    expect(report.rejected).toEqual([
      { line: 2, field: 'name', reason: 'Acme already has a device named SRV-01' },
      { line: 4, field: 'name', reason: 'Duplicate of line 3: the same name in the same group' },
    ]);
    expect(report).toMatchObject({ accepted: 2, imported: 0 });
    expect(deviceCount(w)).toBe(1);
  });

  it('unknown, ambiguous and out-of-scope groups are refused per row, without revealing groups the importer cannot see', async () => {
    const { w, people } = company();
    const provider = w.user('provider', w.rootId);
    w.bind(provider, ROLE.admin, w.rootId);
    const ambiguous = await importAs(w, provider, { content: csv('a,server,,ok,,Berlin', 'b,server,,ok,,Acme / Berlin') });
    expect(ambiguous.rejected).toEqual([{ line: 2, field: 'group', reason: expect.stringMatching(/matches 2 groups/) as unknown }]);
    const unknown = await importAs(w, people.admin, { content: csv('a,server,,ok,,Atlantis', 'b,server,,ok,,Globex') });
    // Globex exists, but Acme's Admin cannot see it: the same answer as for a group that does not exist.
    expect(unknown.rejected.map((r) => r.reason)).toEqual(['No group "Atlantis" that you can see', 'No group "Globex" that you can see']);
    const operator = await importAs(w, people.operator, { content: csv('a,server,,ok,,Acme') });
    expect(operator.rejected[0]?.reason).toMatch(/lacks devices\.manage/);
    expect(deviceCount(w)).toBe(0);
  });

  it('field values: kind, status, dates in the future or on never-backed-up devices, control characters', async () => {
    const { w, people } = company();
    const report = await importAs(w, people.admin, {
      content: csv(
        'a,toaster,,ok,,Acme',
        'b,server,,exploded,,Acme',
        'c,server,,ok,yesterday,Acme',
        'd,server,,ok,2999-01-01,Acme',
        'e,server,,never,2024-01-01,Acme',
        ',server,,ok,,Acme',
        'f\u0007,server,,ok,,Acme',
      ),
    });
    expect(report.rejected.map((r) => [r.line, r.field])).toEqual([
      [2, 'kind'],
      [3, 'status'],
      [4, 'lastBackupAt'],
      [5, 'lastBackupAt'],
      [6, 'lastBackupAt'],
      [7, 'name'],
      [8, 'name'],
    ]);
    expect(deviceCount(w)).toBe(0);
  });

  it('1 bad row in 10,000: the report names it, nothing is written; with good rows asked for, the 9,999 others are', async () => {
    const { w, people } = company();
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      i === 6_789
        ? `pc-${i},workstation,Windows 11,exploded,,Acme`
        : `pc-${i},workstation,Windows 11,ok,2024-05-01T10:00:00Z,Acme / Berlin`,
    );
    const content = csv(...lines);
    const strict = await importAs(w, people.admin, { content });
    expect(strict).toMatchObject({ accepted: 9_999, rejectedTotal: 1, imported: 0 });
    expect(strict.rejected).toEqual([{ line: 6_791, field: 'status', reason: expect.stringMatching(/^Status must be one of/) as unknown }]);
    expect(deviceCount(w)).toBe(0);
    const lenient = await importAs(w, people.admin, { content, mode: 'good-rows' });
    expect(lenient).toMatchObject({ accepted: 9_999, rejectedTotal: 1, imported: 9_999 });
    expect((await w.ok<DeviceListOutput>(people.admin, 'devices.list', { window: { offset: 0, limit: 1 } })).total).toBe(9_999);
  });

  it('a 10,000-row file fits the HTTP body limit of devices.import for a signed-in caller; other operations and anonymous callers keep 1 MiB', async () => {
    const { w, people } = company();
    const server = await startWebServer({ dispatcher: w.steward.dispatcher, port: 0 });
    try {
      const csrfResponse = await fetch(new URL('api/csrf', server.url));
      const csrf = csrfResponse.headers
        .getSetCookie()
        .map((c) => c.split(';')[0] ?? '')
        .find((c) => c.startsWith('steward_csrf_'));
      const headers = {
        'Content-Type': 'application/json',
        'x-steward-csrf': csrf?.split('=')[1] ?? '',
        cookie: `${csrf}; steward_session_${server.port}=${w.session(people.admin)}`,
      };
      // Long names and paths: about 1.3 MB of CSV, over the 1 MiB every other operation accepts.
      const row = (i: number) =>
        `workstation-with-a-long-descriptive-name-${String(i).padStart(5, '0')},workstation,Windows 11 Enterprise,ok,2024-05-01T10:00:00Z,Provider / Acme / Berlin`;
      const content = csv(...Array.from({ length: 10_000 }, (_, i) => row(i)));
      const body = JSON.stringify({ format: 'csv', content, mode: 'all-or-nothing' });
      expect(body.length).toBeGreaterThan(1024 * 1024);
      const answer = await fetch(new URL('api/devices.import', server.url), { method: 'POST', headers, body });
      expect(((await answer.json()) as { value: ImportReport }).value.imported).toBe(10_000);
      const other = await fetch(new URL('api/devices.list', server.url), { method: 'POST', headers, body });
      expect(other.status).toBe(413);
      // Without a signed-in session nobody gets the larger limit: the body is refused unread.
      const anonymous = await fetch(new URL('api/devices.import', server.url), {
        method: 'POST',
        headers: { ...headers, cookie: csrf ?? '' },
        body,
      });
      expect(anonymous.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});
