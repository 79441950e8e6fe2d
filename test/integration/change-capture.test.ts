import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvitationSent } from '../../shared/contract';
import { openDatabase, type Db } from '../../main/db/connection';
import { SCHEMA_VERSION } from '../../main/db/migrations';
import { digest } from '../../main/security/tokens';
import { refreshCapture } from '../../main/sync/capture';
import { captureBatch } from '../../main/sync/batch';
import { applyChanges, readChanges } from '../../main/sync/apply';
import { codeFor, manualClock, tempDir, tempSteward, tokenOf, type TestSteward } from '../helpers/temp-steward';
import type { JobInfo } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';
import { openReplica, pullAll, replicatedRows } from '../helpers/replica';
import { currentVersion } from '../../main/features/versions/object-versions';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function logText(db: Db): string {
  return readChanges(db, 0, 1_000_000)
    .map((c) => `${c.table} ${c.pk} ${c.row ?? ''}`)
    .join('\n');
}

const count = (db: Db) => (db.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n;

/** Every secret the database holds right now, as stored and as the log would spell a BLOB (hex) or a client would (base64). */
function storedSecrets(db: Db): string[] {
  const found: Array<string | Buffer | null> = [];
  for (const u of db.prepare('SELECT password_hash, totp_secret FROM users').all() as Array<{
    password_hash: string | null;
    totp_secret: Buffer | null;
  }>)
    found.push(u.password_hash, u.totp_secret);
  for (const s of db.prepare('SELECT id, pending_totp_secret FROM sessions').all() as Array<{
    id: string;
    pending_totp_secret: Buffer | null;
  }>)
    found.push(s.id, s.pending_totp_secret);
  for (const r of db.prepare('SELECT code_hash FROM recovery_codes').all() as Array<{ code_hash: string }>) found.push(r.code_hash);
  for (const i of db.prepare('SELECT token_hash FROM invitations').all() as Array<{ token_hash: string }>) found.push(i.token_hash);
  const smtp = db.prepare("SELECT value FROM settings WHERE key = 'smtp'").get() as { value: string } | undefined;
  const sealed = smtp ? (JSON.parse(smtp.value) as { passwordSealed?: string | null } | null)?.passwordSealed : null;
  found.push(sealed ?? null);
  return found.flatMap((v) => (v === null ? [] : typeof v === 'string' ? [v] : [v.toString('hex').toUpperCase(), v.toString('base64')]));
}

describe('change capture', () => {
  it('no password, password hash, TOTP secret, session id, recovery code, invitation token or SMTP password ever enters the change log', async () => {
    const clock = manualClock();
    const steward: TestSteward = tempSteward({ clock });
    cleanups.push(() => steward.cleanup());
    const db = steward.db;
    const secrets = new Set<string>();
    const remember = (...values: string[]) => values.forEach((v) => secrets.add(v));
    const snapshot = () => remember(...storedSecrets(db));
    const ok = async (name: string, input: unknown, token: string | null = null) => {
      const outcome = await steward.call(name, input, token);
      if (!outcome.result.ok) throw new Error(`${name}: ${JSON.stringify(outcome.result.error)}`);
      snapshot();
      return outcome;
    };
    const value = <T>(outcome: Awaited<ReturnType<typeof ok>>) => (outcome.result.ok ? outcome.result.value : null) as T;

    // First run: setup and enrollment of the Owner.
    const ownerPassword = 'Canary-Owner-Password-0001';
    let owner = tokenOf(
      await ok('auth.setup', {
        rootGroupName: 'Canary Corp',
        username: 'olga',
        email: 'olga@canary.test',
        fullName: 'Olga',
        password: ownerPassword,
      }),
    );
    const begin = value<{ secret: string }>(await ok('auth.beginEnrollment', {}, owner));
    const enrolled = await ok('auth.confirmEnrollment', { code: await codeFor(begin.secret, clock.now()) }, owner);
    const { recoveryCodes } = value<{ recoveryCodes: string[] }>(enrolled);
    remember(ownerPassword, begin.secret, ...recoveryCodes, owner, digest(owner));
    owner = tokenOf(enrolled);
    remember(owner, digest(owner));

    // A second sign-in with a code (the last used step moves), and one with a recovery code.
    clock.advance(60_000);
    const again = tokenOf(await ok('auth.signIn', { login: 'olga', password: ownerPassword }));
    const verified = tokenOf(await ok('auth.verifyCode', { code: await codeFor(begin.secret, clock.now()) }, again));
    const recovered = tokenOf(await ok('auth.signIn', { login: 'olga', password: ownerPassword }));
    remember(again, verified, recovered, ...[again, verified, recovered].map(digest));
    await ok('auth.verifyCode', { recoveryCode: recoveryCodes[0] }, recovered);

    // An invitation by link, accepted; the invitee enrolls.
    const root = (db.prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string }).id;
    const sent = value<InvitationSent>(
      await ok('invitations.create', { email: 'ivy@canary.test', roleId: ROLE.operator, groupId: root }, owner),
    );
    const inviteToken = sent.link?.split('#/invite/')[1] ?? '';
    const inviteePassword = 'Canary-Invitee-Password-0002';
    remember(inviteToken, inviteePassword);
    const accepted = await ok('invitations.accept', { token: inviteToken, username: 'ivy', fullName: 'Ivy', password: inviteePassword });
    const ivy = tokenOf(accepted);
    const ivySecret = value<{ secret: string }>(await ok('auth.beginEnrollment', {}, ivy)).secret;
    const ivyEnrolled = await ok('auth.confirmEnrollment', { code: await codeFor(ivySecret, clock.now()) }, ivy);
    remember(ivy, digest(ivy), ivySecret, ...value<{ recoveryCodes: string[] }>(ivyEnrolled).recoveryCodes);
    const ivyId = (db.prepare("SELECT id FROM users WHERE username = 'ivy'").get() as { id: string }).id;

    // Password reset (a generated password shown once), MFA reset, a password change, new recovery codes.
    remember(value<{ password: string }>(await ok('users.resetPassword', { id: ivyId }, owner)).password);
    await ok('users.resetMfa', { id: ivyId }, owner);
    const newOwnerPassword = 'Canary-New-Owner-Password-0003';
    remember(newOwnerPassword);
    await ok('auth.changePassword', { currentPassword: ownerPassword, newPassword: newOwnerPassword }, owner);
    clock.advance(60_000);
    remember(
      ...value<{ recoveryCodes: string[] }>(
        await ok('auth.regenerateRecoveryCodes', { code: await codeFor(begin.secret, clock.now()) }, owner),
      ).recoveryCodes,
    );

    // SMTP with a password, then a change that keeps the stored one.
    const smtpPassword = 'Canary-Smtp-Password-0004';
    remember(smtpPassword);
    const settingsVersion = () => currentVersion(db, { type: 'settings', id: 'installation' });
    const smtp = { host: 'mail.canary.test', port: 2525, secure: false, username: 'mailer', from: 'steward@canary.test' };
    await ok('settings.update', { baseVersion: settingsVersion(), smtp: { ...smtp, password: smtpPassword } }, owner);
    await ok('settings.update', { baseVersion: settingsVersion(), smtp: { ...smtp, from: 'noreply@canary.test' } }, owner);

    const key = readFileSync(join(steward.dataDir, 'keys', 'secret.key'));
    remember(key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'));

    const log = logText(db);
    // The log is not empty of what matters: the accounts, the invitation and the SMTP server are in it.
    for (const expected of ['"olga"', '"ivy"', 'ivy@canary.test', 'mail.canary.test', 'noreply@canary.test'])
      expect(log).toContain(expected);
    const leaked = [...secrets].filter((s) => s.length >= 8 && log.includes(s));
    expect(leaked.map((s) => `${s.slice(0, 12)}…`)).toEqual([]);
    expect(secrets.size).toBeGreaterThan(30);
  });

  it('a command refused after it wrote leaves no change rows: the log commits or rolls back with the change', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const db = w.steward.db;
    const customer = w.group(w.rootId, 'customer', 'Acme');
    const elsewhere = w.group(w.rootId, 'customer', 'Elsewhere');
    const device = w.device(elsewhere);
    w.bind(w.user('boss', customer), ROLE.owner, customer);
    const before = count(db);

    // users.create inserts the account and its binding, then refuses a device the new account could not hold.
    const refused = await w.call(w.ownerId, 'users.create', {
      username: 'held-nothing',
      email: 'held@acme.test',
      homeGroupId: customer,
      bindings: [{ roleId: ROLE.viewer, groupId: customer }],
      deviceIds: [device],
    });

    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(db.prepare("SELECT count(*) AS n FROM users WHERE username = 'held-nothing'").get()).toEqual({ n: 0 });
    expect(count(db)).toBe(before);
    // The same command, allowed, logs the account and its binding.
    await w.ok(w.ownerId, 'users.create', {
      username: 'held-something',
      email: 'held@acme.test',
      homeGroupId: customer,
      bindings: [{ roleId: ROLE.viewer, groupId: customer }],
    });
    expect(readChanges(db, before, 100).map((c) => `${c.op} ${c.table}`)).toEqual(['insert users', 'insert role_bindings']);
  });

  it('an update that changes only secret values (a new password hash, authenticator or code step) or nothing writes no change', () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const db = w.steward.db;
    const setSecrets = db.prepare('UPDATE users SET password_hash = ?, totp_secret = ?, totp_last_step = ? WHERE id = ?');
    setSecrets.run('scrypt$first', Buffer.from('first'), 1, w.ownerId);
    // That the account now has a password and an authenticator is logged (the console shows it), not what they are.
    const set = readChanges(db, 0, 1000).at(-1);
    expect(JSON.parse(set?.row ?? '{}')).toMatchObject({ password_hash: 1, totp_secret: 1, totp_last_step: 1 });
    const before = count(db);
    setSecrets.run('scrypt$second', Buffer.from('second'), 2, w.ownerId);
    db.prepare('UPDATE users SET full_name = full_name WHERE id = ?').run(w.ownerId);
    expect(count(db)).toBe(before);
    db.prepare("UPDATE users SET full_name = 'Renamed' WHERE id = ?").run(w.ownerId);
    expect(readChanges(db, before, 10).map((c) => `${c.op} ${c.table} ${c.pk}`)).toEqual([`update users ${JSON.stringify([w.ownerId])}`]);
  });

  it('a column a later migration adds is captured at the next open, every row re-logged with it, with no trigger edited by hand', () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.dir, 'steward.db');
    let db = openDatabase(file);
    db.exec(`INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', 'Root', 0, 0)`);
    // What a later migration would do: add a column and fill it.
    db.transaction(() => {
      db.exec('ALTER TABLE groups ADD COLUMN rank INTEGER NOT NULL DEFAULT 1; UPDATE groups SET rank = 7');
      refreshCapture(db);
    })();
    db.close();
    db = openDatabase(file);
    cleanups.unshift(() => db.close());
    db.exec("UPDATE groups SET rank = 8 WHERE id = 'root'");
    const rows = readChanges(db, 0, 100)
      .filter((c) => c.table === 'groups')
      .map((c) => [c.op, (JSON.parse(c.row ?? '{}') as { rank?: number }).rank]);
    expect(rows).toEqual([
      ['insert', undefined],
      ['update', 7],
      ['update', 8],
    ]);
  });

  it('a bulk job’s pairs are logged as batches that bring a replica to the source’s rows, and writes outside a batch are still captured one by one', async () => {
    // Chunks of 4 devices: the job writes several batches, as a large one does.
    const w = new World(tempSteward({ jobs: { chunkSize: 4, autoStart: false } }));
    cleanups.push(() => w.cleanup());
    const replica = openReplica();
    cleanups.push(replica.cleanup);
    const db = w.steward.db;
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const devices = Array.from({ length: 10 }, (_, i) => w.device(acme, `laptop-${i}`));
    const ana = w.user('ana', acme);
    const ben = w.user('ben', acme);
    for (const id of [ana, ben]) w.bind(id, ROLE.operator, acme);
    w.assign(devices[0] ?? '', ana);
    const before = count(db);

    const job = await w.ok<JobInfo>(w.ownerId, 'devices.bulkAssign', { selection: { filter: {} }, userIds: [ana, ben], action: 'assign' });
    w.steward.jobs.drain();
    const assigned = readChanges(db, before, 1000).filter((c) => c.table === 'device_assignments');
    // 19 pairs (ana already held one device), each in exactly one batch, none as a row of its own.
    expect(assigned.every((c) => c.op === 'insert_many')).toBe(true);
    const keys = assigned.flatMap((c) => JSON.parse(c.pk) as string[][]);
    expect(keys).toHaveLength(19);
    expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(19);
    pullAll(db, replica.db, 7);
    expect(replicatedRows(replica.db)).toEqual(replicatedRows(db));

    // A direct unassign and assign after the job: captured by the triggers, one change per pair.
    const afterJob = count(db);
    await w.ok(w.ownerId, 'devices.unassign', { deviceIds: [devices[1]], userIds: [ana] });
    db.prepare('INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)').run(devices[1], ana);
    expect(readChanges(db, afterJob, 100).map((c) => `${c.op} ${c.table} ${c.pk}`)).toEqual([
      `delete device_assignments ${JSON.stringify([devices[1], ana])}`,
      `insert device_assignments ${JSON.stringify([devices[1], ana])}`,
    ]);

    // Undone: the job's pairs leave in delete batches; the pair ana held before the job stays.
    await w.ok(w.ownerId, 'devices.jobUndo', { jobId: job.id });
    w.steward.jobs.drain();
    const undone = readChanges(db, afterJob + 2, 1000).filter((c) => c.table === 'device_assignments');
    expect(undone.every((c) => c.op === 'delete_many')).toBe(true);
    expect(undone.flatMap((c) => JSON.parse(c.pk) as string[][])).toHaveLength(19);
    expect(db.prepare('SELECT device_id, user_id FROM device_assignments').all()).toEqual([{ device_id: devices[0], user_id: ana }]);
    pullAll(db, replica.db, 3);
    expect(replicatedRows(replica.db)).toEqual(replicatedRows(db));
    // No batch is left open: the flag table is empty once the job is done.
    expect(db.prepare('SELECT count(*) AS n FROM capture_batch').get()).toEqual({ n: 0 });
  });

  it('a batch that fails part way writes no rows and no change, and leaves capture on for the next writer', () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const db = w.steward.db;
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const devices = Array.from({ length: 30 }, () => w.device(acme));
    const ana = w.user('ana', acme);
    w.assign(devices[25] ?? '', ana);
    const before = count(db);
    const rows = () => db.prepare('SELECT count(*) AS n FROM device_assignments').get();
    const held = rows();

    // The 26th pair is already there: the plain INSERT refuses it after 25 were written in the same transaction.
    expect(() =>
      db.transaction(() =>
        captureBatch(
          db,
          'device_assignments',
          'insert',
          devices.map((d) => [d, ana]),
        ),
      )(),
    ).toThrow(/UNIQUE/);
    expect(rows()).toEqual(held);
    expect(count(db)).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM capture_batch').get()).toEqual({ n: 0 });
    // Outside a transaction a batch is refused before it writes: its rows and its change must commit together.
    expect(() => captureBatch(db, 'device_assignments', 'insert', [[devices[0] ?? '', ana]])).toThrow(/inside the write transaction/);
    expect(count(db)).toBe(before);
    db.prepare('INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)').run(devices[0], ana);
    expect(readChanges(db, before, 10).map((c) => `${c.op} ${c.pk}`)).toEqual([`insert ${JSON.stringify([devices[0], ana])}`]);
  });

  it('a batch flag found committed at open is cleared, so capture of its table is not silently off', () => {
    const temp = tempDir();
    cleanups.push(() => temp.remove());
    const first = new World(tempSteward({ dir: temp.dir }));
    const acme = first.group(first.rootId, 'customer', 'Acme');
    const device = first.device(acme);
    const ana = first.user('ana', acme);
    // As a bug elsewhere might leave it: the flag committed outside any batch.
    first.steward.db.prepare("INSERT INTO capture_batch (tbl) VALUES ('device_assignments')").run();
    first.steward.close();
    const again = tempSteward({ dir: temp.dir });
    cleanups.push(() => again.close());
    expect(again.db.prepare('SELECT count(*) AS n FROM capture_batch').get()).toEqual({ n: 0 });
    const before = count(again.db);
    again.db.prepare('INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)').run(device, ana);
    expect(readChanges(again.db, before, 10).map((c) => `${c.op} ${c.pk}`)).toEqual([`insert ${JSON.stringify([device, ana])}`]);
  });

  it('migration 16 keeps every change and its sequence number when it rebuilds the log, and may run again (with every later one)', () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.dir, 'steward.db');
    let db = openDatabase(file);
    db.exec(`INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', 'Root', 0, 0)`);
    db.exec("UPDATE groups SET name = 'Renamed' WHERE id = 'root'");
    const log = readChanges(db, 0, 1000);
    db.pragma('user_version = 15');
    db.close();
    db = openDatabase(file);
    cleanups.unshift(() => db.close());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(readChanges(db, 0, 1000)).toEqual(log);
    db.exec("UPDATE groups SET name = 'Again' WHERE id = 'root'");
    expect(readChanges(db, 0, 1000).map((c) => c.seq)).toEqual([...log.map((c) => c.seq), (log.at(-1)?.seq ?? 0) + 1]);
  });

  it('applying a replica’s pull a second time, or a batch overlapping the last, changes nothing', async () => {
    const w = new World();
    cleanups.push(() => w.cleanup());
    const replica = openReplica();
    cleanups.push(replica.cleanup);
    const db = w.steward.db;
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const first = w.user('first', acme);
    pullAll(db, replica.db, 5);
    // Renamed on the hub, then the replica is sent the old batch again: the earlier name must not come back.
    await w.ok(w.ownerId, 'users.update', { id: first, baseVersion: w.version('user', first), fullName: 'Renamed' });
    pullAll(db, replica.db, 1000);
    applyChanges(replica.db, readChanges(db, 0, 1000));
    expect(replicatedRows(replica.db)).toEqual(replicatedRows(db));
    expect(replica.db.prepare('SELECT full_name FROM users WHERE id = ?').get(first)).toEqual({ full_name: 'Renamed' });
  });
});
