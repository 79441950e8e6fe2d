import { afterEach, describe, expect, it } from 'vitest';
import { CommandLog, type LoggedCommand } from '../../main/dispatch/command-log';
import type { CommandEnvelope } from '../../main/dispatch/envelope';
import { AuditLog, GENESIS_HASH, hashRow } from '../../main/features/audit/audit-log';
import { SessionStore } from '../../main/features/auth/sessions';
import { startWebServer } from '../../main/transports/http/server';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { HttpClient } from '../helpers/http-client';
import { member } from '../helpers/people';
import { ROLE, World } from '../helpers/world';
import { copyDataFolder, manualClock, OWNER, setUpOwner, tempDir, tempSteward, type TestSteward } from '../helpers/temp-steward';

/**
 * An outsider's attacks on issue 12 (commands as envelopes). Each test states what a careful
 * product must do; the ones that fail are findings.
 */
const open: TestSteward[] = [];
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => d.remove());
});

function steward(dir?: string, clock = manualClock()): TestSteward {
  const s = tempSteward({ clock, ...(dir ? { dir } : {}) });
  open.push(s);
  return s;
}

const logged = (s: TestSteward): LoggedCommand[] => [...new CommandLog(s.db).all()];
const rootOf = (s: TestSteward) => (s.db.prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string }).id;
const groupNamed = (s: TestSteward, name: string) => s.db.prepare('SELECT id, created_at FROM groups WHERE name = ?').all(name);
const counts = (s: TestSteward) => ({
  events: s.count('audit_events'),
  commands: s.count('command_log'),
  groups: s.count('groups'),
  settings: s.db.prepare('SELECT key, value FROM settings ORDER BY key').all(),
});

/**
 * A's owner, and a copy of A's data folder taken before `made` ran on A (the state a replay
 * or a hub starts from). `ownInstallation`: give the copy its own installation id, as a hub's
 * data folder has.
 */
async function recorded(made: (a: TestSteward, token: string) => Promise<unknown>, options: { ownInstallation?: boolean } = {}) {
  const dirA = tempDir();
  const dirB = tempDir();
  dirs.push(dirA, dirB);
  const a = steward(dirA.dir);
  const { token } = await setUpOwner(a);
  copyDataFolder(a, dirB.dir, options.ownInstallation ? 'hub-installation' : undefined);
  const before = logged(a).length;
  await made(a, token);
  const commands = logged(a).slice(before);
  return { a, token, commands, hub: steward(dirB.dir, manualClock(Date.now() + 60_000)) };
}

const forged = (command: LoggedCommand, envelope: Partial<CommandEnvelope>): LoggedCommand => {
  const next = { ...command.envelope, ...envelope } as CommandEnvelope;
  return { ...command, envelope: next, text: JSON.stringify(next) };
};

describe('outsider, issue 12: secrets never land in clear in the command log', () => {
  it('R19: a password typed into the sign-in name field is not stored in clear in command_log (mistyped logins are kept only keyed)', async () => {
    const s = steward();
    await setUpOwner(s);
    // People type their password into the username field; R19 keeps such a login only as an HMAC.
    const typedIntoLogin = 'my very secret passphrase 77';
    const outcome = await s.call('auth.signIn', { login: typedIntoLogin, password: 'whatever it was' });
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    const envelopes = s.db.prepare('SELECT envelope FROM command_log').pluck().all() as string[];
    expect(envelopes.filter((text) => text.includes(typedIntoLogin))).toEqual([]);
    const events = JSON.stringify(s.db.prepare('SELECT * FROM audit_events').all());
    expect(events).not.toContain(typedIntoLogin);
    const throttle = JSON.stringify(s.db.prepare('SELECT * FROM auth_throttle').all());
    expect(throttle).not.toContain(typedIntoLogin);
  });
});

describe('outsider, issue 12: dispatchAs does nothing its actor could not do live', () => {
  const makeGroup = (name: string) => (a: TestSteward, token: string) =>
    a.call('groups.create', { parentId: rootOf(a), kind: 'reseller', name }, token);

  it('replay runs nothing for an envelope without an actor when the operation needs a signed-in person (dispatch answers UNAUTHENTICATED)', async () => {
    const { commands, hub } = await recorded(makeGroup('Anonymous reseller'));
    const command = commands.at(-1) as LoggedCommand;
    const before = counts(hub);
    const outcome = await hub.dispatcher.dispatchAs(forged(command, { actor: null }), 'replay');
    hub.dispatcher.flushRefusals();
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(groupNamed(hub, 'Anonymous reseller')).toEqual([]);
    expect(counts(hub).groups).toBe(before.groups);
  });

  it('replay refuses a person’s envelope whose session stage the operation does not admit (an `mfa` session cannot create groups)', async () => {
    const { commands, hub } = await recorded(makeGroup('Half signed-in reseller'));
    const command = commands.at(-1) as LoggedCommand;
    const actor = { ...(command.envelope.actor as NonNullable<CommandEnvelope['actor']>), stage: 'mfa' as const };
    const outcome = await hub.dispatcher.dispatchAs(forged(command, { actor }), 'replay');
    hub.dispatcher.flushRefusals();
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
    expect(groupNamed(hub, 'Half signed-in reseller')).toEqual([]);
  });

  it('replay takes only this installation’s own commands: an envelope of another origin is refused and nothing is created', async () => {
    const { commands, hub } = await recorded(makeGroup('Foreign reseller'), { ownInstallation: true });
    const command = commands.at(-1) as LoggedCommand;
    expect(command.envelope.origin.installation).not.toBe(hub.installationId);
    const before = counts(hub);
    const outcome = await hub.dispatcher.dispatchAs(command, 'replay');
    hub.dispatcher.flushRefusals();
    expect(outcome.result.ok).toBe(false);
    expect(groupNamed(hub, 'Foreign reseller')).toEqual([]);
    expect(counts(hub)).toEqual(before);
  });

  it('replay refuses input the contract rejects (a 5,000-character group name), as dispatch would, and creates nothing', async () => {
    const { commands, hub } = await recorded(makeGroup('Valid name'));
    const command = commands.at(-1) as LoggedCommand;
    const long = 'x'.repeat(5000);
    const input = { ...(command.envelope.input as Record<string, unknown>), name: long };
    const outcome = await hub.dispatcher.dispatchAs(forged(command, { input }), 'replay');
    hub.dispatcher.flushRefusals();
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    expect(groupNamed(hub, long)).toEqual([]);
  });

  it('replay stores the envelope that ran, not caller-supplied text: a secret slipped into `text` never reaches command_log', async () => {
    const { commands, hub } = await recorded(makeGroup('Texted reseller'));
    const command = commands.at(-1) as LoggedCommand;
    const text = JSON.stringify({ ...command.envelope, input: { ...(command.envelope.input as object), password: 'hunter2 in clear' } });
    // A LoggedCommand carries the stored text; whatever it says, the dispatcher writes the envelope that ran.
    const withText: LoggedCommand = { ...command, text };
    const outcome = await hub.dispatcher.dispatchAs(withText, 'replay');
    hub.dispatcher.flushRefusals();
    const stored = hub.db.prepare('SELECT envelope FROM command_log').pluck().all() as string[];
    expect(stored.filter((t) => t.includes('hunter2 in clear'))).toEqual([]);
    // Whatever it answered, the stored record describes what ran.
    if (outcome.result.ok) expect(JSON.parse(stored.at(-1) ?? '{}')).toEqual(command.envelope);
  });

  it('revalidate refuses an envelope claiming this installation’s own origin (another installation cannot write into, or open a gap in, our sequence)', async () => {
    const { commands, hub } = await recorded(makeGroup('Impostor reseller'), { ownInstallation: true });
    const command = commands.at(-1) as LoggedCommand;
    const claimed = forged(command, { origin: { installation: hub.installationId, seq: 1_000_000 } });
    const before = counts(hub);
    const outcome = await hub.dispatcher.dispatchAs(claimed, 'revalidate');
    hub.dispatcher.flushRefusals();
    expect(outcome.result.ok).toBe(false);
    expect(groupNamed(hub, 'Impostor reseller')).toEqual([]);
    expect(counts(hub)).toEqual(before);
    expect(
      hub.db.prepare('SELECT count(*) FROM command_log WHERE origin = ? AND origin_seq = 1000000').pluck().get(hub.installationId),
    ).toBe(0);
  });

  it('revalidate refuses recorded ids that are not ids Steward draws (a replica cannot choose object ids like "root" or "x")', async () => {
    const { commands, hub } = await recorded(makeGroup('Chosen-id reseller'), { ownInstallation: true });
    const command = commands.at(-1) as LoggedCommand;
    const draws = { ...command.envelope.draws, ids: command.envelope.draws.ids.map(() => 'x') };
    const outcome = await hub.dispatcher.dispatchAs(forged(command, { draws }), 'revalidate');
    hub.dispatcher.flushRefusals();
    expect(outcome.result.ok).toBe(false);
    expect(hub.db.prepare("SELECT count(*) FROM groups WHERE id = 'x'").pluck().get()).toBe(0);
  });

  it('a refused command re-validated twice does not poison the refusal batch: flushing does not throw and another caller’s refusal keeps its event and envelope', async () => {
    const { commands, hub, token } = await recorded(makeGroup('Twice refused'), { ownInstallation: true });
    const command = commands.at(-1) as LoggedCommand;
    const actorId = command.envelope.actor?.userId ?? '';
    // The actor lost every role on the hub: re-running their command is refused (and recorded).
    hub.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(actorId);
    const first = await hub.dispatcher.dispatchAs(command, 'revalidate');
    hub.dispatcher.flushRefusals();
    expect(first.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const denied = () => hub.db.prepare("SELECT count(*) FROM audit_events WHERE outcome = 'denied'").pluck().get() as number;
    const deniedBefore = denied();
    // The same push arrives again (a retry): its refusal waits in the batch with the next caller's.
    const second = await hub.dispatcher.dispatchAs(command, 'revalidate');
    expect(second.result.ok).toBe(false);
    const other = await hub.dispatcher.dispatch(
      'groups.create',
      { parentId: rootOf(hub), kind: 'reseller', name: 'Someone else' },
      { token, client: 'cli' },
    );
    expect(other.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Written from a timer in the app: a throw here is an uncaught exception in the main process.
    expect(() => hub.dispatcher.flushRefusals()).not.toThrow();
    // The other caller's refusal is in the trail, with its envelope.
    expect(denied()).toBeGreaterThan(deniedBefore);
    expect(hub.count('audit_events')).toBe(hub.count('command_log'));
  });
});

const DAY_MS = 86_400_000;

/** A foreign origin's chain, hashed as its installation would have written it. */
function foreignChain(origin: string, times: readonly number[], first = 1) {
  let prev = GENESIS_HASH;
  return times.map((at, i) => {
    const row = {
      origin,
      origin_seq: first + i,
      hash_format: 2,
      at,
      actor_id: null,
      actor_name: 'someone at the replica',
      client: 'desktop' as const,
      action: 'groups.update',
      target_type: null,
      target_id: null,
      target_name: null,
      group_id: null,
      before: null,
      after: JSON.stringify({ step: i + 1 }),
      outcome: 'success' as const,
      error_code: null,
      prev_hash: prev,
    };
    const hash = hashRow(row) as string;
    prev = hash;
    return { ...row, hash };
  });
}

describe('outsider, issue 12: replaying without what only the installation kept', () => {
  it('replay never uses a secret field’s stand-in as the secret: a settings.update whose sealed part is missing is refused, and the SMTP password stays as it was', async () => {
    const smtp = { host: 'mail.test', port: 587, secure: false, username: 'mailer', from: 'steward@acme.test' };
    const { commands, hub } = await recorded((a, token) =>
      a.call('settings.update', { baseVersion: 1, smtp: { ...smtp, password: 'the real smtp password' } }, token),
    );
    const command = commands.find((c) => c.envelope.operation === 'settings.update') as LoggedCommand;
    expect(command.sealed).not.toBeNull();
    const outcome = await hub.dispatcher.dispatchAs({ ...command, sealed: null }, 'replay');
    hub.dispatcher.flushRefusals();
    const stored = hub.db.prepare("SELECT value FROM settings WHERE key = 'smtp'").pluck().get() as string | undefined;
    const sealed = stored ? (JSON.parse(stored) as { passwordSealed: string | null }).passwordSealed : null;
    const password = sealed ? hub.secrets.open(Buffer.from(sealed, 'base64')).toString('utf8') : null;
    expect(password).not.toBe('[secret: not stored]');
    expect(outcome.result.ok).toBe(false);
  });

  it('dispatchAs runs nothing for a person who is disabled or removed here, in either mode', async () => {
    const { commands, hub } = await recorded(
      (a, token) => a.call('groups.create', { parentId: rootOf(a), kind: 'reseller', name: 'Gone' }, token),
      {
        ownInstallation: true,
      },
    );
    const command = commands.at(-1) as LoggedCommand;
    const before = counts(hub);
    hub.db.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").run(command.envelope.actor?.userId ?? '');
    const revalidated = await hub.dispatcher.dispatchAs(command, 'revalidate');
    expect(revalidated.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // A replay takes this installation's own log: a copy of A with A's installation id.
    const own = await recorded((a, token) => a.call('groups.create', { parentId: rootOf(a), kind: 'reseller', name: 'Gone' }, token));
    const ownCommand = own.commands.at(-1) as LoggedCommand;
    own.hub.db.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").run(ownCommand.envelope.actor?.userId ?? '');
    expect((await own.hub.dispatcher.dispatchAs(ownCommand, 'replay')).result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(groupNamed(own.hub, 'Gone')).toEqual([]);
    // The next command of that installation (the first was taken, refused), by someone who does not exist here.
    const removed = forged(command, {
      origin: { ...command.envelope.origin, seq: command.envelope.origin.seq + 1 },
      actor: { ...(command.envelope.actor as NonNullable<CommandEnvelope['actor']>), userId: 'no-such-person' },
    });
    expect((await hub.dispatcher.dispatchAs(removed, 'revalidate')).result).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    hub.dispatcher.flushRefusals();
    expect(groupNamed(hub, 'Gone')).toEqual([]);
    expect(counts(hub).groups).toBe(before.groups);
  });
});

describe('outsider, issue 12: audit retention, the command log and adopted chains', () => {
  it('retention never removes an event younger than the setting, even when an older-looking event (a replica with a wrong clock) follows it in its chain', async () => {
    const clock = manualClock();
    const s = steward(undefined, clock);
    const { token } = await setUpOwner(s, clock);
    const set = await s.call('settings.update', { baseVersion: 1, auditRetentionDays: 365 }, token);
    expect(set.result.ok).toBe(true);
    const now = clock.now();
    // Event 2 was made on a laptop whose clock was 400 days behind; events 1 and 3 are a day old and new.
    const events = foreignChain('replica-with-skewed-clock', [now - DAY_MS, now - 400 * DAY_MS, now]);
    const adopted = s.db.transaction(() => new AuditLog(s.db).adopt(events))();
    expect(adopted.adopted).toBe(3);
    const pruned = s.dispatcher.runSystem('audit.prune', {}, 'retention');
    expect(pruned.ok).toBe(true);
    const held = s.db
      .prepare("SELECT origin_seq FROM audit_events WHERE origin = 'replica-with-skewed-clock' ORDER BY origin_seq")
      .pluck()
      .all();
    // The day-old event is well inside the 365 days: it must still be there.
    expect(held).toContain(1);
    expect(new AuditLog(s.db).verify().broken).toBeNull();
  });

  it('adopt refuses hostile batches and writes nothing: a forged hash, a gap, this installation’s origin, a prototype key', async () => {
    const s = steward();
    await setUpOwner(s);
    const before = s.count('audit_events');
    const chain = foreignChain('replica-a', [1, 2, 3]);
    const adopt = (events: unknown[]) => () => s.db.transaction(() => new AuditLog(s.db).adopt(events))();
    const [e1, e2, e3] = chain as [(typeof chain)[0], (typeof chain)[0], (typeof chain)[0]];
    expect(adopt([e1, { ...e2, action: 'users.remove' }])).toThrow(/does not match its hash/);
    expect(adopt([e1, e3])).toThrow(/leaves a gap/);
    // Far past this installation's own chain, so it is neither held nor a gap in a foreign chain: only whose it claims to be refuses it.
    const mine = foreignChain(s.installationId, [1], 10_000)[0];
    expect(adopt([mine])).toThrow(/claims to be this installation/);
    expect(adopt([JSON.parse(`{"__proto__": {"polluted": 1}, ${JSON.stringify(e1).slice(1)}`)])).toThrow(/VALIDATION|Unknown field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(s.count('audit_events')).toBe(before);
  });

  it('retention applies to the command log too: once audit.prune removed an event, no envelope of it keeps its input (names, emails, logins)', async () => {
    const clock = manualClock();
    const s = steward(undefined, clock);
    const { token } = await setUpOwner(s, clock);
    await s.call('groups.create', { parentId: rootOf(s), kind: 'reseller', name: 'Long gone reseller' }, token);
    await s.call('auth.signIn', { login: 'someone.who.mistyped@old.test', password: 'wrong wrong wrong' });
    clock.advance(400 * DAY_MS);
    // A new session: the old one is long expired.
    const fresh = ownerSession(s, clock.now());
    const set = await s.call('settings.update', { baseVersion: 1, auditRetentionDays: 365 }, fresh);
    expect(set.result.ok).toBe(true);
    s.dispatcher.runSystem('audit.prune', {}, 'retention');
    const removedSeqs = s.db.prepare('SELECT count(*) FROM audit_prunes').pluck().get() as number;
    expect(removedSeqs).toBeGreaterThan(0);
    const orphans = s.db
      .prepare('SELECT envelope FROM command_log WHERE audit_seq NOT IN (SELECT seq FROM audit_events)')
      .pluck()
      .all() as string[];
    expect(orphans.filter((e) => e.includes('Long gone reseller') || e.includes('someone.who.mistyped@old.test'))).toEqual([]);
  });
});

/** A fresh active session for the owner, written the way a completed sign-in leaves it (sign-in is not what these tests are about). */
function ownerSession(s: TestSteward, now: number): string {
  const ownerId = s.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(OWNER.username) as string;
  const token = `outsider-session-${now}`;
  new SessionStore(s.db).create(token, ownerId, 'active', 'cli', now);
  return token;
}

describe('outsider, issue 12: Steward’s own operations and its job runner', () => {
  it('no transport name reaches a system operation: case, spaces, escapes and prototype keys all answer UNKNOWN_OPERATION over HTTP, and nothing is written', async () => {
    const s = steward();
    await setUpOwner(s);
    const server = await startWebServer({ dispatcher: s.dispatcher, port: 0 });
    try {
      const client = new HttpClient(server.url);
      await client.primeCsrf();
      const signedIn = await client.call('auth.signIn', { login: OWNER.username, password: OWNER.password });
      expect(signedIn.body.ok).toBe(true);
      const before = counts(s);
      const names = [
        'audit.prune',
        'Audit.prune',
        'audit.prune%20',
        '%20audit.prune',
        'audit%2Eprune',
        'devices.jobStep',
        'devices.jobRecover',
        'devices.jobFail',
        '__proto__',
        'constructor',
        'hasOwnProperty',
        'toString',
        'devices.jobStep%00',
      ];
      for (const name of names) {
        const answer = await client.call(name, { jobId: 'x', size: 10 });
        expect(answer.body, name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
      }
      expect(counts(s)).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('a system actor cannot be borrowed: dispatchAs refuses a person’s operation under a system actor and a system operation under a person, in both modes', async () => {
    const { commands, hub } = await recorded((a, token) =>
      a.call('groups.create', { parentId: rootOf(a), kind: 'reseller', name: 'Sys' }, token),
    );
    const command = commands.at(-1) as LoggedCommand;
    const person = command.envelope.actor as NonNullable<CommandEnvelope['actor']>;
    const before = counts(hub);
    for (const mode of ['replay', 'revalidate'] as const) {
      const asSystem = await hub.dispatcher.dispatchAs(forged(command, { actor: { ...person, system: 'job runner' } }), mode);
      expect(asSystem.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const pruneAsPerson = await hub.dispatcher.dispatchAs(forged(command, { operation: 'audit.prune', input: {} }), mode);
      expect(pruneAsPerson.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    hub.dispatcher.flushRefusals();
    expect(counts(hub)).toEqual(before);
  });

  it('the job runner keeps each chunk inside 1..2000 whatever it is configured with: a job run with chunkSize 5000 (or 0) finishes, it does not end failed', async () => {
    for (const chunkSize of [5000, 0]) {
      const w = new World(tempSteward({ jobs: { autoStart: false, chunkSize } }));
      try {
        const acme = w.group(w.rootId, 'customer', 'Acme');
        const admin = member(w, 'admin', acme, ROLE.admin);
        const operator = member(w, 'operator', acme, ROLE.operator);
        addDevices(w, acme, mixedSpecs('pc', 30));
        const job = await w.ok<{ id: string }>(admin, 'devices.bulkAssign', {
          selection: { filter: {} },
          userIds: [operator],
          action: 'assign',
        });
        w.steward.jobs.drain(10);
        const ended = await w.ok<{ state: string; note: string | null }>(admin, 'devices.jobGet', { jobId: job.id });
        expect({ chunkSize, state: ended.state }).toEqual({ chunkSize, state: 'done' });
      } finally {
        w.cleanup();
      }
    }
  });
});
