import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry, InvitationSent } from '../../shared/contract';
import { openSteward } from '../../main/app';
import type { Entropy } from '../../main/dispatch/context';
import { codeFor, manualClock, tempDir, tokenOf, type TestSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/** Issue 7: what the audit trail must never hold, must reveal when edited, and must not show out of scope. */
const cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  vi.restoreAllMocks();
});

/** Randomness the test knows in advance, so the secrets it produces are known canaries. */
function knownEntropy(): Entropy {
  let counter = 0;
  return {
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i += 32) createHash('sha256').update(`canary-${counter++}`).digest().copy(out, i);
      return out;
    },
    id: () => `id-${counter++}`,
  };
}

describe('audit trail', () => {
  it('holds no password, TOTP secret, recovery code, invitation token or SMTP password: not in rows, exports or the log', async () => {
    const temp = tempDir();
    const clock = manualClock();
    const steward = openSteward({ dataDir: temp.dir, clock, entropy: knownEntropy() });
    cleanups.push(() => {
      steward.close();
      temp.remove();
    });
    const logged: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const call = async (name: string, input: unknown, token: string | null = null) => {
      const outcome = await steward.dispatcher.dispatch(name, input, { token, client: 'web', origin: 'http://127.0.0.1:1' });
      steward.dispatcher.flushRefusals();
      return outcome;
    };
    const canaries: string[] = [
      'Canary-Password-Boss-0001',
      'Canary-Wrong-Password-0002',
      'Canary-Invitee-Password-0003',
      'Canary-Smtp-Password-0004',
      'Canary-New-Password-0005',
    ];
    let token = tokenOf(
      await call('auth.setup', {
        rootGroupName: 'Canary Corp',
        username: 'olga',
        email: 'olga@canary.test',
        fullName: 'Olga',
        password: canaries[0],
      }),
    );
    const begin = await call('auth.beginEnrollment', {}, token);
    const secret = (begin.result.ok ? begin.result.value : { secret: '' }) as { secret: string };
    canaries.push(secret.secret);
    const enrolled = await call('auth.confirmEnrollment', { code: await codeFor(secret.secret, clock.now()) }, token);
    token = tokenOf(enrolled);
    const codes = (enrolled.result.ok ? enrolled.result.value : { recoveryCodes: [] }) as { recoveryCodes: string[] };
    canaries.push(...codes.recoveryCodes);
    await call('auth.signIn', { login: 'olga', password: canaries[1] });
    const second = tokenOf(await call('auth.signIn', { login: 'olga', password: canaries[0] }));
    await call('auth.verifyCode', { recoveryCode: codes.recoveryCodes[0] }, second);
    await call(
      'settings.update',
      { smtp: { host: '127.0.0.1', port: 1, secure: false, username: 'u', password: canaries[3], from: 'steward@canary.test' } },
      token,
    );
    await call('settings.update', { smtp: null }, token);
    const root = (steward.db.prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string }).id;
    const invite = await call('invitations.create', { email: 'ivy@canary.test', roleId: ROLE.viewer, groupId: root }, token);
    const link = (invite.result.ok ? (invite.result.value as InvitationSent).link : '') ?? '';
    const inviteToken = link.split('#/invite/')[1] ?? '';
    canaries.push(inviteToken);
    await call('invitations.accept', { token: inviteToken, username: 'ivy', fullName: 'Ivy', password: canaries[2] });
    const created = await call('users.create', { username: 'gen', email: 'gen@canary.test', homeGroupId: root, bindings: [] }, token);
    canaries.push((created.result.ok ? (created.result.value as { password: string }).password : '') || 'missing');
    const createdId = created.result.ok ? (created.result.value as { id: string }).id : '';
    const reset = await call('users.resetPassword', { id: createdId }, token);
    canaries.push((reset.result.ok ? (reset.result.value as { password: string }).password : '') || 'missing');
    await call('auth.changePassword', { currentPassword: canaries[0], newPassword: canaries[4] }, token);
    const csv = await call('audit.export', { format: 'csv' }, token);
    const jsonl = await call('audit.export', { format: 'jsonl' }, token);
    expect(csv.result.ok && jsonl.result.ok).toBe(true);
    const everything = [
      JSON.stringify(steward.db.prepare('SELECT * FROM audit_events').all()),
      JSON.stringify(csv.result),
      JSON.stringify(jsonl.result),
      logged.join(''),
    ].join('\n');
    expect(canaries.filter((c) => c.length >= 8)).toHaveLength(canaries.length);
    for (const canary of canaries) expect(everything, `canary ${canary.slice(0, 6)}…`).not.toContain(canary);
    expect(steward.db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'audit.export'").get()).toEqual({ n: 2 });
  }, 120_000);

  it('names the exact event that was edited in the file, bypassing the app', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    for (let i = 0; i < 5; i++) await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: `C${i}` });
    expect(await w.ok(w.ownerId, 'audit.verify', {})).toMatchObject({ intact: true, checked: 5, broken: null });
    const raw = new Database(join(w.steward.dataDir, 'steward.db'));
    raw.exec('DROP TRIGGER audit_events_no_update; UPDATE audit_events SET after = \'{"name":"forged"}\' WHERE seq = 3;');
    raw.close();
    expect(await w.ok(w.ownerId, 'audit.verify', {})).toMatchObject({
      intact: false,
      broken: { seq: 3, reason: 'its contents were changed after it was written' },
    });
  });

  it('a removed event breaks the link of the next one', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    for (let i = 0; i < 4; i++) await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: `C${i}` });
    const raw = new Database(join(w.steward.dataDir, 'steward.db'));
    raw.exec('DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 2;');
    raw.close();
    expect(await w.ok(w.ownerId, 'audit.verify', {})).toMatchObject({
      intact: false,
      broken: { seq: 3, reason: expect.stringMatching(/link/) },
    });
  });

  it('an auditor scoped to one customer never sees another customer’s events, in the view, the count or an export', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const a = w.group(w.rootId, 'customer', 'Alpha');
    const b = w.group(w.rootId, 'customer', 'Beta');
    const auditor = w.user('auditor', a);
    w.bind(auditor, w.role(w.rootId, ['audit.view', 'audit.export', 'users.view', 'groups.view'], 'assigned'), a);
    await w.ok(w.ownerId, 'groups.create', { parentId: a, kind: 'location', name: 'Alpha HQ' });
    await w.ok(w.ownerId, 'groups.create', { parentId: b, kind: 'location', name: 'Beta HQ' });
    await w.ok(w.ownerId, 'groups.update', { id: b, baseVersion: w.version('group', b), name: 'Beta Renamed' });
    const view = await w.ok<{ events: AuditEntry[]; total: number }>(auditor, 'audit.list', {});
    expect(view.events.map((e) => e.targetName)).toEqual(['Alpha HQ']);
    expect(view.total).toBe(1);
    const exported = await w.ok<{ content: string; rows: number }>(auditor, 'audit.export', { format: 'csv' });
    expect(exported.rows).toBe(1);
    expect(exported.content).not.toMatch(/Beta/);
    expect(await w.call(auditor, 'audit.list', { groupId: b })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await w.call(auditor, 'audit.verify', {})).toMatchObject({ ok: false });
    const owner = await w.ok<{ total: number }>(w.ownerId, 'audit.list', {});
    // Three changes, plus the auditor's export, which is itself recorded.
    expect(owner.total).toBe(4);
  });

  it('filters by actor, action prefix, target text, group subtree, period and outcome', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const a = w.group(w.rootId, 'customer', 'Alpha');
    const start = Date.now();
    await w.ok(w.ownerId, 'groups.create', { parentId: a, kind: 'location', name: 'Alpha HQ' });
    await w.call(w.ownerId, 'groups.remove', { id: a });
    const list = async (filter: Record<string, unknown>) =>
      (await w.ok<{ events: AuditEntry[] }>(w.ownerId, 'audit.list', filter)).events.map((e) => `${e.action}:${e.outcome}`);
    expect(await list({ action: 'groups.' })).toEqual(['groups.remove:denied', 'groups.create:success']);
    expect(await list({ outcome: 'denied' })).toEqual(['groups.remove:denied']);
    expect(await list({ target: 'HQ' })).toEqual(['groups.create:success']);
    expect(await list({ groupId: a, actorId: w.ownerId })).toHaveLength(2);
    expect(await list({ from: start - 1000, to: Date.now() + 1000 })).toHaveLength(2);
    expect(await list({ to: start - 1000 })).toEqual([]);
  });

  it('retention prunes old events without breaking verification, and records that it did', async () => {
    const clock = manualClock();
    const temp = tempDir();
    let steward: TestSteward | null = null;
    cleanups.push(() => {
      steward?.cleanup();
      temp.remove();
    });
    const w = new World((await import('../helpers/temp-steward')).tempSteward({ dir: temp.dir, clock }), clock);
    steward = w.steward;
    for (let i = 0; i < 3; i++) await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: `Old ${i}` });
    clock.advance(40 * 86_400_000);
    await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: 'Recent' });
    await w.ok(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), auditRetentionDays: 30 });
    const events = w.steward.db.prepare('SELECT action FROM audit_events ORDER BY seq').all() as Array<{ action: string }>;
    expect(events.map((e) => e.action)).toEqual(['groups.create', 'settings.update', 'audit.prune']);
    expect(await w.ok(w.ownerId, 'audit.verify', {})).toMatchObject({ intact: true, prunedThrough: 3, checked: 3 });
    expect(() => w.steward.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(await w.call(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), auditRetentionDays: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'auditRetentionDays' },
    });
  });

  it('exports CSV that parses back, with formulas defused', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: '=HYPERLINK("x"), "quoted"' });
    const csv = await w.ok<{ content: string; rows: number; filename: string }>(w.ownerId, 'audit.export', {
      format: 'csv',
      action: 'groups.create',
    });
    expect(csv.filename).toMatch(/^steward-audit-.*\.csv$/);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,actor,actor_id,client,action,target_type,target,target_id,group,outcome,error_code,before,after');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
    const jsonl = await w.ok<{ content: string }>(w.ownerId, 'audit.export', { format: 'jsonl', action: 'groups.create' });
    expect(JSON.parse(jsonl.content.trim())).toMatchObject({ action: 'groups.create', targetName: '=HYPERLINK("x"), "quoted"' });
  });
});
