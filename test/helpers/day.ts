import fc from 'fast-check';
import type { OperationName } from '../../shared/contract';
import { currentRoleVersion } from '../../main/features/versions/role-base';
import { currentVersion, type VersionedType } from '../../main/features/versions/object-versions';
import { digest } from '../../main/security/tokens';
import { COVERED, type Call } from './escalation/operations';
import { WORLD_PASSWORD, type BuiltWorld } from './escalation/world';
import { codeFor, type TestSteward } from './temp-steward';

type Outcome = Awaited<ReturnType<TestSteward['call']>>;

/** A clock the day moves by hand. */
export interface DayClock {
  now(): number;
  advance(ms: number): void;
}

/**
 * Several people working one Steward through its API only, as a day of commands: every
 * account is made by invitation or users.create, every secret is the product's own, and
 * every session comes from a real sign-in (password, then code). The harness keeps what a
 * person would know (their password, their authenticator key, their tokens) and nothing else.
 */
export class Day {
  private readonly tokens = new Map<string, string>();
  private readonly passwords = new Map<string, string>();
  private readonly totp = new Map<string, string>();
  readonly invitationTokens = new Map<string, string>();
  jobId: string | null = null;

  constructor(
    public steward: TestSteward,
    readonly clock: DayClock,
  ) {}

  /** Each call moves the clock by a second: times differ from call to call, as they do in a day. */
  async call(name: OperationName, input: unknown, token: string | null = null): Promise<Outcome> {
    this.clock.advance(1000);
    const outcome = await this.steward.call(name, input, token);
    if (outcome.result.ok) this.learn(name, input, outcome.result.value);
    return outcome;
  }

  async ok<T>(name: OperationName, input: unknown, token: string | null = null): Promise<T> {
    const outcome = await this.call(name, input, token);
    if (!outcome.result.ok) throw new Error(`${name} refused: ${JSON.stringify(outcome.result.error)}`);
    return outcome.result.value as T;
  }

  /** What a caller learns from an answer: new passwords, invitation links, job ids. */
  private learn(name: OperationName, input: unknown, value: unknown): void {
    const v = value as Record<string, unknown>;
    const i = input as Record<string, unknown>;
    if (name === 'users.create') this.passwords.set(String(v.id), String(v.password));
    if (name === 'users.resetPassword') this.passwords.set(String(i.id), String(v.password));
    if (name === 'devices.bulkAssign') this.jobId = String(v.id);
    const sent = (name === 'groups.create' ? v.ownerInvitation : v) as { invitation?: { id: string }; link?: string } | undefined;
    if ((name === 'invitations.create' || name === 'invitations.resend' || name === 'groups.create') && sent?.link && sent.invitation) {
      this.invitationTokens.set(sent.invitation.id, sent.link.split('/').pop() ?? '');
    }
  }

  private userId(username: string): string | undefined {
    return (this.steward.db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: string } | undefined)?.id;
  }

  /** The first Owner: setup and enrollment, through the API. */
  async setUp(owner: { rootGroupName: string; username: string; email: string; fullName: string }): Promise<string> {
    const outcome = await this.call('auth.setup', { ...owner, password: WORLD_PASSWORD });
    const token = outcome.session?.kind === 'set' ? outcome.session.token : '';
    const id = this.userId(owner.username) ?? '';
    this.passwords.set(id, WORLD_PASSWORD);
    return this.enroll(id, token);
  }

  /** Sets up the authenticator from the enroll stage; answers the active token. */
  private async enroll(userId: string, token: string): Promise<string> {
    const { secret } = await this.ok<{ secret: string }>('auth.beginEnrollment', {}, token);
    this.totp.set(userId, secret);
    this.clock.advance(30_000);
    const confirm = await this.call('auth.confirmEnrollment', { code: await codeFor(secret, this.clock.now()) }, token);
    if (!confirm.result.ok) throw new Error(`enrollment refused: ${JSON.stringify(confirm.result.error)}`);
    const active = confirm.session?.kind === 'set' ? confirm.session.token : token;
    this.tokens.set(userId, active);
    return active;
  }

  /** Accepts an invitation as a new person and enrolls them; answers their id. */
  async accept(invitationId: string, username: string): Promise<string | null> {
    const token = this.invitationTokens.get(invitationId);
    if (!token) return null;
    const outcome = await this.call('invitations.accept', { token, username, fullName: `Person ${username}`, password: WORLD_PASSWORD });
    if (!outcome.result.ok || outcome.session?.kind !== 'set') return null;
    const id = this.userId(username) ?? '';
    this.passwords.set(id, WORLD_PASSWORD);
    await this.enroll(id, outcome.session.token);
    return id;
  }

  /** A current code from the person's authenticator, or a wrong one when the harness does not know their key. */
  async code(userId: string): Promise<string> {
    const secret = this.totp.get(userId);
    return secret ? codeFor(secret, this.clock.now()) : '000000';
  }

  /**
   * An active token for the person, signing in (password, then code, or enrollment when their
   * authenticator was reset) when they have none. Null when they cannot sign in.
   */
  async session(userId: string): Promise<string | null> {
    const held = this.tokens.get(userId);
    if (held) return held;
    const account = this.steward.db.prepare('SELECT username, status FROM users WHERE id = ?').get(userId) as
      { username: string; status: string } | undefined;
    const password = this.passwords.get(userId);
    if (!account || account.status !== 'active' || !password) return null;
    const signIn = await this.call('auth.signIn', { login: account.username, password });
    if (!signIn.result.ok || signIn.session?.kind !== 'set') return null;
    const stage = (signIn.result.value as { stage: string }).stage;
    if (stage === 'enroll') return this.enroll(userId, signIn.session.token);
    this.clock.advance(30_000);
    const verify = await this.call('auth.verifyCode', { code: await this.code(userId) }, signIn.session.token);
    if (!verify.result.ok) return null;
    const token = verify.session?.kind === 'set' ? verify.session.token : signIn.session.token;
    this.tokens.set(userId, token);
    return token;
  }

  /** A token someone holds now (the last signed in), for asking the same database, or a replayed copy, a question. */
  held(): string | null {
    return [...this.tokens.values()].pop() ?? null;
  }

  /** Everyone signs out (a person's last act before a long absence). */
  async signOutAll(): Promise<void> {
    for (const [userId, token] of [...this.tokens]) {
      await this.call('auth.signOut', {}, token);
      this.tokens.delete(userId);
    }
  }

  /**
   * A drawn call from the escalation property's generators, as `actorId`, against the world
   * as it stands now. Tokens that the answer says ended are forgotten.
   */
  async drawn(call: Call, actorId: string): Promise<Outcome | null> {
    const world = this.world();
    const input = call.input(world, actorId, await this.code(actorId));
    let token: string | null = null;
    if (call.caller === 'active') token = await this.session(actorId);
    if (call.caller === 'mfa') {
      const account = this.steward.db.prepare('SELECT username FROM users WHERE id = ?').get(actorId) as { username: string } | undefined;
      const password = this.passwords.get(actorId);
      if (!account || !password) return null;
      const signIn = await this.call('auth.signIn', { login: account.username, password });
      if (!signIn.result.ok || signIn.session?.kind !== 'set') return null;
      this.clock.advance(30_000);
      token = signIn.session.token;
    }
    if (call.caller !== 'public' && !token) return null;
    const outcome = await this.call(call.name, input, token);
    if (call.caller === 'mfa' && outcome.result.ok && outcome.session?.kind === 'set') this.tokens.set(actorId, outcome.session.token);
    if (call.name === 'auth.changePassword' && outcome.result.ok) this.passwords.set(actorId, 'a different long passphrase 77');
    if (call.name === 'auth.signOut' && outcome.result.ok) this.tokens.delete(actorId);
    this.forgetEnded();
    return outcome;
  }

  /** Sessions a command ended (a disabled person, a reset authenticator, a role change) are no longer held. */
  private forgetEnded(): void {
    const held = this.steward.db.prepare('SELECT id FROM sessions').all() as Array<{ id: string }>;
    const live = new Set(held.map((s) => s.id));
    for (const [userId, token] of [...this.tokens]) {
      if (!live.has(digest(token))) this.tokens.delete(userId);
    }
  }

  /** The world as the escalation generators see it, read from the product's tables now. */
  world(): BuiltWorld {
    const db = this.steward.db;
    const groups = db
      .prepare('SELECT id, name, kind, parent_id AS parentId FROM groups ORDER BY created_at, id')
      .all() as BuiltWorld['groups'];
    const roles = db
      .prepare(
        "SELECT id, name FROM roles ORDER BY CASE id WHEN 'builtin-admin' THEN 0 WHEN 'builtin-operator' THEN 1 WHEN 'builtin-viewer' THEN 2 ELSE 3 END, id",
      )
      .all() as Array<{ id: string; name: string }>;
    return {
      w: {
        version: (type: VersionedType | 'role', id = 'installation') =>
          type === 'role' ? currentRoleVersion(db, id) : currentVersion(db, { type, id }),
      } as unknown as BuiltWorld['w'], // only `version` is read by the generators
      groups,
      companies: groups.filter((g) => ['distributor', 'reseller', 'customer'].includes(g.kind)),
      roles: roles.filter((r) => r.id !== 'builtin-owner').map((r) => ({ ...r, versions: 1 })),
      users: db.prepare('SELECT id, username FROM users ORDER BY created_at, id').all() as BuiltWorld['users'],
      devices: db.prepare('SELECT id, name FROM devices ORDER BY id LIMIT 60').all() as BuiltWorld['devices'],
      invitations: [...this.invitationTokens].map(([id, token]) => ({ id, token })),
      jobId: this.jobId,
      cleanup: () => undefined,
    };
  }
}

/** The escalation generators, all but those the day scripts itself (settings: idle timeouts would end sessions mid-day). */
export function drawnCalls(count: number, seed: number): Call[] {
  const makers = Object.entries(COVERED).filter(([name]) => name !== 'settings.update') as Array<
    [OperationName, (name: OperationName) => fc.Arbitrary<Call>]
  >;
  return fc.sample(fc.oneof(...makers.map(([name, make]) => make(name))), { numRuns: count, seed });
}
