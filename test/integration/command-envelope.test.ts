import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, type OperationName } from '../../shared/contract';
import { CommandLog, type LoggedCommand } from '../../main/dispatch/command-log';
import { openPart, SECRET_STAND_IN, type CommandEnvelope } from '../../main/dispatch/envelope';
import { startWebServer } from '../../main/transports/http/server';
import { HttpClient } from '../helpers/http-client';
import { copyDataFolder, manualClock, OWNER, setUpOwner, tempDir, tempSteward, type TestSteward } from '../helpers/temp-steward';

const open: TestSteward[] = [];
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => d.remove());
});

function steward(dir?: string, clock = manualClock()) {
  const s = tempSteward({ clock, ...(dir ? { dir } : {}) });
  open.push(s);
  return s;
}

function logged(s: TestSteward) {
  return [...new CommandLog(s.db).all()];
}

const rootOf = (s: TestSteward) => (s.db.prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string }).id;

describe('the command envelope', () => {
  it('is stored with its audit event: one envelope per event, same order, the origin counting 1, 2, 3 without gaps', async () => {
    const s = steward();
    const { token } = await setUpOwner(s);
    await s.call('groups.create', { parentId: rootOf(s), kind: 'reseller', name: 'Res A' }, token);
    // A refusal is a command too: it has its event and its envelope.
    await s.call('groups.create', { parentId: 'no-such-group', kind: 'reseller', name: 'Res B' }, token);
    const events = s.db.prepare('SELECT seq, action, outcome FROM audit_events ORDER BY seq').all() as Array<{
      seq: number;
      action: string;
      outcome: string;
    }>;
    const commands = logged(s);
    expect(commands.map((c) => c.auditSeq)).toEqual(events.map((e) => e.seq));
    expect(commands.map((c) => c.envelope.origin)).toEqual(commands.map((_, i) => ({ installation: s.installationId, seq: i + 1 })));
    const [created, refused] = commands.slice(-2) as [(typeof commands)[0], (typeof commands)[0]];
    expect(created.envelope).toMatchObject({
      v: 1,
      operation: 'groups.create',
      input: { parentId: rootOf(s), kind: 'reseller', name: 'Res A' },
      actor: { username: OWNER.username, stage: 'active' },
      client: 'cli',
    });
    // The id the group got is the id the command drew, and the time it was made at is a reading it took.
    const group = s.db.prepare("SELECT id, created_at FROM groups WHERE name = 'Res A'").get() as { id: string; created_at: number };
    expect(created.envelope.draws.ids).toContain(group.id);
    expect(created.envelope.draws.clock).toContain(group.created_at);
    expect(events.at(-1)).toMatchObject({ action: 'groups.create', outcome: 'denied' });
    expect(refused.envelope.operation).toBe('groups.create');
  });

  it('never holds a password, code or link token: the contract’s secret fields are replaced, and the sealed part keeps only what prepare concluded', async () => {
    const s = steward();
    const { token } = await setUpOwner(s);
    const smtpPassword = 'smtp secret 1234';
    await s.call(
      'settings.update',
      {
        baseVersion: 1,
        smtp: { host: 'mail.test', port: 587, secure: false, username: 'mailer', password: smtpPassword, from: 'steward@acme.test' },
      },
      token,
    );
    await s.call('auth.signIn', { login: OWNER.username, password: OWNER.password });
    await s.call('auth.changePassword', { currentPassword: OWNER.password, newPassword: 'another unusual passphrase 9' }, token);
    const secrets = [OWNER.password, 'another unusual passphrase 9', smtpPassword];
    const rows = s.db.prepare('SELECT envelope, sealed FROM command_log').all() as Array<{ envelope: string; sealed: Buffer | null }>;
    for (const row of rows) {
      for (const secret of secrets) expect(row.envelope).not.toContain(secret);
      const part = openPart(s.secrets, row.sealed);
      for (const secret of secrets) expect(JSON.stringify(part.prepared ?? null)).not.toContain(secret);
    }
    const stored = logged(s).filter((c) =>
      ['auth.setup', 'auth.signIn', 'auth.changePassword', 'settings.update'].includes(c.envelope.operation),
    );
    expect(stored.length).toBeGreaterThanOrEqual(4);
    const setup = stored.find((c) => c.envelope.operation === 'auth.setup');
    expect(setup?.envelope.input).toMatchObject({ password: SECRET_STAND_IN, username: OWNER.username });
  });

  it('lists every input field that carries a password, a code, a token or a login among the operation’s secrets', () => {
    // `login` too: a password typed in the wrong field is still a password (R19).
    const secretLike = /password|code|token|secret|login/i;
    const missing: string[] = [];
    const walk = (name: OperationName, schema: z.ZodType, path: string[]) => {
      let inner: z.ZodType = schema;
      // Optional, nullable and refined wrappers hold the shape inside.
      for (let i = 0; i < 5; i++) {
        const def = (inner as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType } } })._zod.def;
        const next = def.innerType ?? def.in ?? def.schema;
        if (!next) break;
        inner = next;
      }
      if (inner instanceof z.ZodObject) {
        for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) walk(name, child, [...path, key]);
        return;
      }
      const field = path.join('.');
      const leaf = path[path.length - 1] ?? '';
      if (secretLike.test(leaf) && !(contract[name].secrets ?? []).includes(field)) missing.push(`${name}: ${field}`);
    };
    for (const name of Object.keys(contract) as OperationName[]) {
      if (contract[name].kind === 'command') walk(name, contract[name].input, []);
    }
    expect(missing).toEqual([]);
  });

  it('Steward’s own operations exist for no session: a person calling one, in process or over HTTP, hears there is no such operation, and nothing runs', async () => {
    const s = steward();
    const { token } = await setUpOwner(s);
    const inProcess = logged(s).length;
    for (const name of ['devices.jobStep', 'devices.jobRecover', 'devices.jobFail', 'audit.prune']) {
      const outcome = await s.call(name, { jobId: 'x', size: 10 }, token);
      expect(outcome.result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    }
    expect(logged(s).length).toBe(inProcess);
    const server = await startWebServer({ dispatcher: s.dispatcher, port: 0 });
    try {
      const client = new HttpClient(server.url);
      await client.primeCsrf();
      await client.call('auth.signIn', { login: OWNER.username, password: OWNER.password });
      const overHttp = logged(s).length;
      const answer = await client.call('audit.prune', {});
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
      expect(logged(s).length).toBe(overHttp);
    } finally {
      await server.close();
    }
  });

  describe('dispatchAs, re-validating another installation’s command (the hub’s case)', () => {
    async function recorded() {
      const dirA = tempDir();
      dirs.push(dirA);
      const a = steward(dirA.dir);
      const { token } = await setUpOwner(a);
      // The copy the "hub" works on: the same people, made before the command below.
      const dirB = tempDir();
      dirs.push(dirB);
      // The hub is another installation: a copy keeps A's id, so it is given its own.
      copyDataFolder(a, dirB.dir, '6f1c2d3e-0000-4000-8000-000000000001');
      await a.call('groups.create', { parentId: rootOf(a), kind: 'reseller', name: 'Made offline' }, token);
      const command = logged(a).at(-1) as ReturnType<typeof logged>[0];
      const hubClock = manualClock(Date.now() + 3_600_000);
      return { a, command, hub: steward(dirB.dir, hubClock), hubClock };
    }

    it('runs it as its actor with the recorded ids and the hub’s own time, and keeps the replica’s origin', async () => {
      const { a, command, hub, hubClock } = await recorded();
      const outcome = await hub.dispatcher.dispatchAs(command, 'revalidate');
      expect(outcome.result.ok).toBe(true);
      const mine = a.db.prepare("SELECT id, created_at FROM groups WHERE name = 'Made offline'").get() as {
        id: string;
        created_at: number;
      };
      const theirs = hub.db.prepare("SELECT id, created_at FROM groups WHERE name = 'Made offline'").get() as {
        id: string;
        created_at: number;
      };
      expect(theirs.id).toBe(mine.id);
      expect(theirs.created_at).toBe(hubClock.now());
      const stored = logged(hub).at(-1)?.envelope as CommandEnvelope;
      expect(stored.origin).toEqual(command.envelope.origin);
      expect(stored.id).toBe(command.envelope.id);
    });

    it('authorizes as usual: an actor who lost the right on the hub is refused, the refusal is recorded, and nothing is created', async () => {
      const { command, hub } = await recorded();
      const actorId = command.envelope.actor?.userId ?? '';
      hub.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(actorId);
      const outcome = await hub.dispatcher.dispatchAs(command, 'revalidate');
      hub.dispatcher.flushRefusals();
      // With no role left they no longer see the parent group: refused without saying whether it exists.
      expect(outcome.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(hub.db.prepare("SELECT count(*) AS n FROM groups WHERE name = 'Made offline'").get()).toEqual({ n: 0 });
      expect(hub.db.prepare('SELECT action, outcome FROM audit_events ORDER BY seq DESC LIMIT 1').get()).toEqual({
        action: 'groups.create',
        outcome: 'denied',
      });
    });

    it('refuses a malformed envelope naming the field, with nothing run or written (a replica’s push is input like any other)', async () => {
      const { command, hub } = await recorded();
      const before = { events: hub.count('audit_events'), commands: hub.count('command_log'), groups: hub.count('groups') };
      const withoutDraws: Partial<CommandEnvelope> = { ...command.envelope };
      delete withoutDraws.draws;
      const cases: Array<[unknown, string]> = [
        [withoutDraws, 'draws'],
        [{ ...command.envelope, origin: { installation: command.envelope.origin.installation, seq: 'one' } }, 'origin.seq'],
        [{ ...command.envelope, actor: { ...command.envelope.actor, stage: 'root' } }, 'actor.stage'],
      ];
      for (const [envelope, field] of cases) {
        for (const mode of ['replay', 'revalidate'] as const) {
          const outcome = await hub.dispatcher.dispatchAs({ envelope: envelope as CommandEnvelope, sealed: null }, mode);
          expect(outcome.result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } });
        }
      }
      hub.dispatcher.flushRefusals();
      expect({ events: hub.count('audit_events'), commands: hub.count('command_log'), groups: hub.count('groups') }).toEqual(before);
    });

    it('parses the input again and names the field; a command that needed a secret, or is Steward’s own, cannot be re-run', async () => {
      const { a, command, hub } = await recorded();
      const bad = { ...command, envelope: { ...command.envelope, input: { parentId: rootOf(a), kind: 'reseller', name: '' } } };
      const invalid = await hub.dispatcher.dispatchAs(bad, 'revalidate');
      expect(invalid.result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
      // Each refusal takes its place in the origin's sequence (the queue moves on): the next tries come after it.
      const at = (c: LoggedCommand, seq: number): LoggedCommand => ({
        ...c,
        envelope: { ...c.envelope, origin: { ...c.envelope.origin, seq } },
      });
      const seq = command.envelope.origin.seq;
      const signIn = logged(a).find(
        (c) => c.envelope.operation === 'auth.signIn' || c.envelope.operation === 'auth.setup',
      ) as LoggedCommand;
      const secret = await hub.dispatcher.dispatchAs(at(signIn, seq + 1), 'revalidate');
      expect(secret.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const system = {
        ...command,
        envelope: {
          ...command.envelope,
          operation: 'audit.prune' as const,
          input: {},
          actor: { ...command.envelope.actor, system: 'retention' } as CommandEnvelope['actor'],
        },
      };
      const own = await hub.dispatcher.dispatchAs(at(system, seq + 2), 'revalidate');
      expect(own.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(hub.db.prepare("SELECT count(*) AS n FROM groups WHERE name = 'Made offline'").get()).toEqual({ n: 0 });
    });
  });
});
