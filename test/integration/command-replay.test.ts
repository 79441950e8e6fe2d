import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { contract, type OperationName } from '../../shared/contract';
import { DATABASE_FILE } from '../../main/app';
import { CommandLog } from '../../main/dispatch/command-log';
import type * as Passwords from '../../main/features/auth/passwords';
import { Day, drawnCalls } from '../helpers/day';
import { signInAtProvider } from '../helpers/oidc-browser';
import { ssoConfigFor, startIdp } from '../helpers/oidc-idp';
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, slapdMissing, startSlapd } from '../helpers/slapd';
import { manualClock, tempDir, tempSteward } from '../helpers/temp-steward';
import { AUDIT_FORM } from '../helpers/saved-filters';

// Hashing is not what this file tests (see cheap-hash.ts); the hashes are recorded and replayed like any prepared outcome.
vi.mock('../../main/features/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof Passwords>();
  const { cheapHash: hash } = await import('../helpers/escalation/cheap-hash');
  return { ...real, hashPassword: hash };
});

const DAY_MS = 86_400_000;
const folders = [tempDir('steward-day-a-'), tempDir('steward-day-start-'), tempDir('steward-day-b-')];
afterAll(() => folders.forEach((f) => f.remove()));

/** Every table's rows in a fixed order. `sessions.last_seen_at` is left out: reads move it, and reads are not commands. */
function dump(db: Database.Database): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{
    name: string;
  }>;
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>)
      .map((c) => c.name)
      .filter((c) => !(name === 'sessions' && c === 'last_seen_at'))
      .map((c) => `"${c}"`);
    out[name] = db.prepare(`SELECT ${columns.join(', ')} FROM "${name}" ORDER BY ${columns.join(', ')}`).all();
  }
  return out;
}

/** A command every day covers, except the one that only runs when a job's step fails inside Steward. */
// sync.* act on a replica's link to its hub, which a standalone day has none of: sync-hub.test.ts runs them.
const EXPECTED = (Object.keys(contract) as OperationName[]).filter(
  (name) => contract[name].kind === 'command' && name !== 'devices.jobFail' && !name.startsWith('sync.'),
);

describe('commands that can be replayed', () => {
  it(
    'a day of more than 1,000 commands, replayed from its command log on a copy of the starting database, gives every table row for row, and both audit chains verify',
    async () => {
      const [a, start, b] = folders as [ReturnType<typeof tempDir>, ReturnType<typeof tempDir>, ReturnType<typeof tempDir>];
      const clock = manualClock(Date.UTC(2026, 9, 1, 7));
      // The starting database: migrated and empty, with its installation id; the day runs on A, the replay on a copy.
      tempSteward({ dir: a.dir, clock }).close();
      cpSync(a.dir, start.dir, { recursive: true });
      const jobs = { autoStart: false, chunkSize: 25 };
      const day = new Day(tempSteward({ dir: a.dir, clock, jobs }), clock);

      const ownerToken = await day.setUp({
        rootGroupName: 'Provider',
        username: 'olivia',
        email: 'olivia@provider.test',
        fullName: 'Olivia',
      });
      const db = () => day.steward.db;
      const ownerId = (db().prepare("SELECT id FROM users WHERE username = 'olivia'").get() as { id: string }).id;
      const rootId = (db().prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string }).id;
      const version = () => day.world().w.version('settings');
      // Sessions last the whole day (an idle one would end on A at a read, which a replay never sees).
      await day.ok('settings.update', { baseVersion: version(), idleTimeoutMinutes: 1440, invitationExpiryHours: 720 }, ownerToken);
      // Saved filters (issue 15): one kept, one saved over and removed; the replay must give the same rows.
      const auditFilter = AUDIT_FORM;
      await day.ok('filters.save', { screen: 'audit', name: 'People', filter: auditFilter }, ownerToken);
      await day.ok('filters.save', { screen: 'audit', name: 'Refusals', filter: { ...auditFilter, outcome: 'denied' } }, ownerToken);
      const savedOver = await day.ok<{ id: string }>(
        'filters.save',
        { screen: 'audit', name: 'refusals', filter: auditFilter },
        ownerToken,
      );
      await day.ok('filters.remove', { id: savedOver.id }, ownerToken);
      // Signing out everywhere else (issue 15): the Owner's other sessions end, this one stays.
      await day.ok('users.signOutEverywhere', { id: ownerId }, ownerToken);

      // The tree, with Owners invited for its customers.
      const group = async (parentId: string, kind: string, name: string, owner?: string) =>
        (await day.ok<{ id: string }>('groups.create', { parentId, kind, name, ...(owner ? { owner: { email: owner } } : {}) }, ownerToken))
          .id;
      const north = await group(rootId, 'distributor', 'North', 'owner@north.test');
      const resellers = [
        await group(north, 'reseller', 'Reseller A', 'owner@a.test'),
        await group(rootId, 'reseller', 'Reseller B', 'owner@b.test'),
      ];
      const customers = [
        await group(resellers[0] as string, 'customer', 'Acme', 'owner@acme.test'),
        await group(resellers[0] as string, 'customer', 'Globex', 'owner@globex.test'),
        await group(resellers[1] as string, 'customer', 'Initech', 'owner@initech.test'),
      ];
      for (const [i, customer] of customers.entries()) {
        await group(customer, 'location', `Site ${i}`);
        await group(customer, 'department', `Finance ${i}`);
      }
      // A custom role, edited and reverted.
      const role = await day.ok<{ id: string }>(
        'roles.create',
        {
          ownerGroupId: rootId,
          name: 'Helpdesk',
          deviceVisibility: 'scope',
          permissions: ['users.view', 'devices.view', 'devices.assign'],
        },
        ownerToken,
      );
      const roleVersion = () => day.world().w.version('role', role.id);
      await day.ok('roles.update', { id: role.id, baseVersion: roleVersion(), permissions: ['users.view', 'devices.view'] }, ownerToken);
      await day.ok('roles.revert', { id: role.id, version: 1, baseVersion: roleVersion() }, ownerToken);

      // Each company's Owner joins first; then several admins, an operator and a technician, by invitation and by users.create.
      for (const [id] of [...day.invitationTokens]) await day.accept(id, `owner-${id.slice(0, 6)}`);
      const invite = async (email: string, roleId: string, groupId: string) =>
        (await day.ok<{ invitation: { id: string } }>('invitations.create', { email, roleId, groupId }, ownerToken)).invitation.id;
      const adminA = await day.accept(await invite('ada@provider.test', 'builtin-admin', rootId), 'ada');
      const adminB = await day.accept(await invite('bob@reseller-a.test', 'builtin-admin', resellers[0] as string), 'bob');
      const operator = await day.accept(await invite('opal@acme.test', 'builtin-operator', customers[0] as string), 'opal');
      expect([adminA, adminB, operator].every(Boolean)).toBe(true);
      const tech = await day.ok<{ id: string }>(
        'users.create',
        {
          username: 'tess',
          email: 'tess@acme.test',
          fullName: 'Tess',
          homeGroupId: customers[0],
          kind: 'member',
          bindings: [{ roleId: role.id, groupId: customers[0] }],
        },
        ownerToken,
      );

      // Devices imported, and a bulk job that Steward's process loses half way and resumes at the next start.
      const rows = Array.from({ length: 150 }, (_, i) => ({
        name: `host-${String(i).padStart(3, '0')}`,
        kind: i % 3 === 0 ? 'server' : 'workstation',
        os: 'Linux',
        status: 'ok',
        lastBackupAt: '',
        group: customers[i % 3],
      }));
      const adminToken = (await day.session(adminA as string)) as string;
      await day.ok('devices.import', { format: 'json', mode: 'all-or-nothing', content: JSON.stringify(rows) }, adminToken);
      await day.ok('devices.bulkAssign', { selection: { filter: {} }, userIds: [operator, tech.id], action: 'assign' }, adminToken);
      expect(day.steward.jobs.drain(2)).toBe(2);
      day.steward.close();
      day.steward = tempSteward({ dir: a.dir, clock, jobs });
      day.steward.jobs.drain();
      expect(db().prepare('SELECT state FROM device_jobs').get()).toEqual({ state: 'done' });

      // The drawn part of the day: every command of the contract, by the Owner and by whoever else is active.
      for (const [i, call] of drawnCalls(1000, 20261129).entries()) {
        const people = db().prepare("SELECT id FROM users WHERE status = 'active' ORDER BY created_at, id").all() as Array<{ id: string }>;
        const actor = i % 3 === 0 ? ownerId : (people[i % people.length]?.id ?? ownerId);
        await day.drawn(call, actor);
        day.steward.jobs.drain();
      }

      // Most of the day changed something (refusals are recorded and replayed too, but prove less).
      const succeeded = db().prepare("SELECT count(*) AS n FROM audit_events WHERE outcome = 'success'").get() as { n: number };
      expect(succeeded.n).toBeGreaterThan(300);

      // Single sign-on and directory departments (issue 14): their commands read a provider and a directory in
      // `prepare` (or, for the weekly run, before the command), and the replay applies what was read then.
      const idp = await startIdp({ accounts: { opal: { password: 'opal at the provider', email: 'opal@acme.test' } } });
      const directory =
        slapdMissing() === null ? await startSlapd([{ uid: 'opal', mail: 'opal@acme.test', departments: ['Claims'] }]) : null;
      try {
        const owner = (await day.session(ownerId)) as string;
        const acme = customers[0] as string;
        await day.ok('sso.configure', ssoConfigFor(idp, acme, { allowedDomains: ['acme.test'] }), owner);
        const redirect = 'http://127.0.0.1:43917/callback';
        const begun = await day.ok<{ authorizationUrl: string }>('auth.ssoBegin', {
          providerId: acme,
          redirectUri: redirect,
          binding: 'b',
        });
        const callbackUrl = await signInAtProvider(begun.authorizationUrl, redirect, 'opal', 'opal at the provider');
        await day.call('auth.ssoComplete', { callbackUrl, binding: 'b' });
        await day.ok('sso.remove', { companyId: acme, baseVersion: 1 }, owner);
        await day.ok(
          'directory.configure',
          {
            companyId: acme,
            baseVersion: 0,
            settings: {
              connector: 'ldap',
              url: directory?.url ?? 'ldap://127.0.0.1:9',
              bindDn: ADMIN_DN,
              baseDn: BASE_DN,
              filter: '(objectClass=inetOrgPerson)',
              departmentAttribute: 'departmentNumber',
              emailAttribute: 'mail',
            },
            secret: ADMIN_PASSWORD,
            enabled: true,
          },
          owner,
        );
        await day.steward.directory.runDue();
        await day.ok('directory.syncNow', { companyId: acme }, owner);
      } finally {
        await idp.close();
        await directory?.close();
      }

      // The state before retention, to compare with the replay at the same point: afterwards most events are pruned.
      const midpoint = (db().prepare('SELECT max(audit_seq) AS seq FROM command_log').get() as { seq: number }).seq;
      const beforeRetention = dump(db());

      // Months later: retention, set by whoever may still manage settings, prunes audit events older than 30 days
      // and status history older than 90 (the day's snapshot among it).
      await day.signOutAll();
      clock.advance(100 * DAY_MS);
      // Retention empties the envelopes of the events it prunes (R23): the log is read as it stands now too,
      // as a hub would have received it push by push.
      const early = [...new CommandLog(db()).all()];
      const managers = db().prepare("SELECT id FROM users WHERE status = 'active' ORDER BY created_at, id").all() as Array<{ id: string }>;
      let pruned = false;
      for (const { id } of managers) {
        const token = await day.session(id);
        if (!token) continue;
        const set = await day.call('settings.update', { baseVersion: version(), auditRetentionDays: 30, historyRetentionDays: 90 }, token);
        if (set.result.ok) {
          pruned = true;
          break;
        }
      }
      expect(pruned).toBe(true);
      const prunes = db().prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'audit.prune'").get() as { n: number };
      expect(prunes.n).toBe(1);
      day.steward.close();

      // The day's record.
      const aDb = new Database(join(a.dir, DATABASE_FILE), { readonly: true });
      const kept = [...new CommandLog(aDb).all()];
      const byAuditSeq = new Map([...early, ...kept].map((c) => [c.auditSeq, c]));
      const logged = [...byAuditSeq.values()].sort((x, y) => x.auditSeq - y.auditSeq);
      // Retention did empty the early envelopes: the kept log alone could not replay the day.
      expect(kept.length).toBeLessThan(logged.length);
      expect(logged.length).toBeGreaterThan(1000);
      const ran = new Set(logged.map((l) => l.envelope.operation));
      expect(EXPECTED.filter((name) => !ran.has(name))).toEqual([]);

      // The replay: a copy of the starting database, no work of its own, every envelope as its actor.
      cpSync(start.dir, b.dir, { recursive: true });
      const replica = tempSteward({ dir: b.dir, clock, background: false });
      let compared = false;
      for (const command of logged) {
        if (!compared && command.auditSeq > midpoint) {
          replica.dispatcher.flushRefusals();
          const replayed = dump(replica.db);
          for (const table of Object.keys(beforeRetention))
            expect(replayed[table], `table ${table} before retention`).toEqual(beforeRetention[table]);
          compared = true;
        }
        const outcome = await replica.dispatcher.dispatchAs(command, 'replay');
        if (!outcome.result.ok && outcome.result.error.code === 'INTERNAL') {
          throw new Error(
            `replaying ${command.envelope.operation} (#${command.envelope.origin.seq}) failed: ${outcome.result.error.message}`,
          );
        }
      }
      expect(compared).toBe(true);
      replica.dispatcher.flushRefusals();
      const before = dump(aDb);
      const after = dump(replica.db);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      for (const table of Object.keys(before)) expect(after[table], `table ${table}`).toEqual(before[table]);
      aDb.close();

      // audit.verify, as an API client asks it, on both, with a session of the day (replayed too).
      const verifier = tempSteward({ dir: a.dir, clock, background: false });
      const token = day.held();
      for (const steward of [verifier, replica]) {
        const chain = await steward.dispatcher.dispatch('audit.verify', {}, { token, client: 'cli' });
        expect(chain.result).toMatchObject({ ok: true, value: { intact: true } });
      }
      verifier.close();
      replica.close();
    },
    10 * 60_000,
  );
});
