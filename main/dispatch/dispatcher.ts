import { withRelaxedSync } from '../db/connection';
import { stmt } from '../db/statements';
import { randomBytes } from 'node:crypto';
import { contract, isOperationName, type OperationName } from '../../shared/contract';
import type { ApiError, Result } from '../../shared/result';
import { AuditLog } from '../features/audit/audit-log';
import type { SessionStore } from '../features/auth/sessions';
import { readSetting } from '../features/settings/settings';
import { log } from '../log';
import type { Authorizer } from './authorizer';
import type { Actor, AuditDetails, Client, CommandContext, Services, SessionChange } from './context';
import { isRefusal, OpError } from './errors';
import type { RegisteredHandler, Registry } from './registry';
import { validationError } from './validation';

export interface CallMeta {
  /** The session token the transport holds for this caller, if any. */
  token: string | null;
  client: Client;
  /**
   * Where the call came from, for throttling by source: `ip:<address>` over HTTP, `ipc` from
   * the desktop window, `local` for in-process callers (demo, tests). Never secret.
   */
  source?: string;
  /** The console's own origin as the caller reached it (web only), for links in mail. */
  origin?: string;
}

export interface DispatchResult {
  result: Result<unknown>;
  /** What the transport must do with its session token after this call. */
  session?: SessionChange;
}

type Authentication = { actor: Actor | null; ended: 'idle' | 'expired' | null };

const TOUCH_EVERY_MS = 15_000;
/** How long a refused call's audit event may wait to be written with others (see recordRefusal). */
const REFUSAL_FLUSH_MS = 25;
/** Refusals that are about who may do what, not about the input's form: recorded wherever they are decided. */
const AUTHORITY_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/**
 * The one way into the application, whatever the transport: look up the operation,
 * authenticate, parse the input from `unknown`, authorize, then run the handler in one
 * transaction together with its audit event.
 */
export class Dispatcher {
  private readonly audit: AuditLog;

  constructor(
    private readonly services: Services,
    private readonly registry: Registry,
    private readonly sessions: SessionStore,
    private readonly authorizer: Authorizer,
  ) {
    registry.assertComplete();
    this.audit = new AuditLog(services.db);
  }

  private readonly commandEndHooks: Array<() => void> = [];

  /** Runs after every command, committed or rolled back: caches of what commands may change drop here. */
  onCommandEnd(hook: () => void): void {
    this.commandEndHooks.push(hook);
  }

  async dispatch(name: string, rawInput: unknown, meta: CallMeta): Promise<DispatchResult> {
    const reached = { handler: false };
    try {
      return await this.dispatchKnown(name, rawInput, meta, reached);
    } catch (error) {
      return { result: { ok: false, error: internalError(name, error) } };
    } finally {
      // A command refused before its handler changed nothing: the caches stay.
      if (reached.handler && isOperationName(name) && contract[name].kind === 'command') for (const hook of this.commandEndHooks) hook();
    }
  }

  private async dispatchKnown(name: string, rawInput: unknown, meta: CallMeta, reached: { handler: boolean }): Promise<DispatchResult> {
    if (!isOperationName(name)) {
      return failure({ code: 'UNKNOWN_OPERATION', message: `There is no operation named "${name.slice(0, 80)}"` });
    }
    const spec = contract[name];
    const registered = this.registry.get(name);
    if (!registered) return failure({ code: 'UNKNOWN_OPERATION', message: `Operation "${name}" is not available` });

    const auth = this.authenticate(meta.token);
    const endedSession: SessionChange | undefined = auth.ended ? { kind: 'clear' } : undefined;
    if (spec.audience !== 'public') {
      if (!auth.actor) {
        return auth.ended
          ? failure(sessionEndedError(auth.ended, this.idleMinutes()), endedSession)
          : failure({ code: 'UNAUTHENTICATED', message: 'Sign in first' });
      }
      if (!spec.audience.includes(auth.actor.stage)) return failure(wrongStage(auth.actor.stage));
    }
    if (registered.access.kind !== 'public' && !auth.actor) return failure({ code: 'UNAUTHENTICATED', message: 'Sign in first' });

    const parsed = spec.input.safeParse(rawInput === undefined ? {} : rawInput, { reportInput: true });
    if (!parsed.success) return failure(validationError(parsed.error), endedSession);

    const details: AuditDetails = {};
    let sessionChange: SessionChange | undefined = endedSession;
    const isCommand = spec.kind === 'command';
    const ctx: CommandContext = {
      ...this.services,
      actor: auth.actor,
      client: meta.client,
      source: meta.source ?? 'local',
      origin: meta.origin ?? null,
      audit: (more) => {
        if (!isCommand) throw new Error(`Query "${name}" tried to write an audit event`);
        Object.assign(details, more);
      },
      setSession: (change) => {
        if (!isCommand) throw new Error(`Query "${name}" tried to change the session`);
        sessionChange = change;
      },
    };

    // R12: authorize before `prepare` and `run`, so a refused call hashes, mails and writes nothing but its audit event.
    if (auth.actor && registered.access.kind !== 'public') {
      const verdict = this.authorizer.authorize(auth.actor, registered.access, parsed.data);
      if (!verdict.ok) {
        if (isCommand) {
          if (verdict.target) details.target = verdict.target;
          this.recordRefusal(name, ctx, details, verdict.error);
        }
        return failure(verdict.error, endedSession);
      }
    }

    reached.handler = true;
    let prepared: unknown;
    try {
      prepared = registered.prepare ? await registered.prepare(ctx, parsed.data) : undefined;
    } catch (error) {
      // `prepare` only reads. A refusal there about the input (a weak password, a stale step) leaves no trace; one
      // about authority decided early so that nothing is hashed (R12) is recorded, as it would be from `run`.
      if (!(error instanceof OpError)) throw error;
      const apiError = error.toApiError();
      if (isCommand && AUTHORITY_CODES.has(apiError.code)) this.recordRefusal(name, ctx, details, apiError);
      return failure(apiError, endedSession);
    }
    try {
      const outcome = this.transaction(isCommand, () => {
        const value = registered.run(ctx, parsed.data, prepared);
        if (isCommand) this.writeAudit(name, ctx, details, isRefusal(value) ? value.refusal : null);
        return value;
      });
      if (isRefusal(outcome)) return failure(outcome.refusal, sessionChange);
      const value = registered.after ? await this.afterCommit(name, registered.after, ctx, outcome) : outcome;
      return { result: { ok: true, value }, ...(sessionChange ? { session: sessionChange } : {}) };
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      const apiError = error.toApiError();
      // The change rolled back; the refusal itself is still a fact worth recording.
      if (isCommand) this.recordRefusal(name, ctx, details, apiError);
      return failure(apiError, endedSession);
    }
  }

  private async afterCommit(
    name: string,
    after: NonNullable<RegisteredHandler['after']>,
    ctx: CommandContext,
    output: unknown,
  ): Promise<unknown> {
    try {
      return await after(ctx, output);
    } catch (error) {
      log.error(`after-commit step of ${name} failed; the change stands`, error);
      return output;
    }
  }

  private pendingRefusals: Array<{ name: OperationName; ctx: CommandContext; details: AuditDetails; error: ApiError; at: number }> = [];
  private refusalTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * A refused command's audit event (R12). Refusals changed nothing, so their events are
   * written together: within REFUSAL_FLUSH_MS, or before the next transaction of any call,
   * so the trail keeps the order in which things happened. A flood of refused calls then
   * costs one commit per batch instead of one each, and cannot slow everyone else down.
   * A crash can lose at most the events of the last REFUSAL_FLUSH_MS.
   */
  private recordRefusal(name: OperationName, ctx: CommandContext, details: AuditDetails, error: ApiError): void {
    this.pendingRefusals.push({ name, ctx, details, error, at: ctx.clock.now() });
    if (!this.refusalTimer) {
      this.refusalTimer = setTimeout(() => this.flushRefusals(), REFUSAL_FLUSH_MS);
      this.refusalTimer.unref();
    }
  }

  /** Writes the pending refusals' audit events in one transaction that does not wait for the disk. */
  flushRefusals(): void {
    if (this.refusalTimer) clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
    if (this.pendingRefusals.length === 0) return;
    const batch = this.pendingRefusals.splice(0);
    withRelaxedSync(this.services.db, () =>
      this.services.db.transaction(() => batch.forEach((r) => this.writeAudit(r.name, r.ctx, r.details, r.error, r.at))).immediate(),
    );
  }

  private transaction<T>(write: boolean, fn: () => T): T {
    this.flushRefusals();
    const tx = this.services.db.transaction(fn);
    return write ? tx.immediate() : tx.deferred();
  }

  private writeAudit(name: OperationName, ctx: CommandContext, details: AuditDetails, error: ApiError | null, at = ctx.clock.now()): void {
    // Every event belongs to a group, so audit scoping can place it: the group it names, else
    // the affected person's home, else the actor's home, else the root (anonymous attempts).
    const homeOf = (userId: string | undefined) =>
      userId
        ? stmt<[string], { home_group_id: string }>(this.services.db, 'SELECT home_group_id FROM users WHERE id = ?').get(userId)
            ?.home_group_id
        : undefined;
    const groupId =
      details.groupId ??
      homeOf(details.target?.type === 'user' ? details.target.id : undefined) ??
      homeOf(ctx.actor?.userId) ??
      stmt<[], { id: string }>(this.services.db, "SELECT id FROM groups WHERE kind = 'provider'").get()?.id;
    this.audit.append({
      ...details,
      ...(groupId ? { groupId } : {}),
      at,
      actor: ctx.actor,
      client: ctx.client,
      action: details.action ?? name,
      outcome: error ? 'denied' : 'success',
      ...(error ? { errorCode: error.code } : {}),
    });
  }

  /**
   * Whether `token` belongs to a fully signed-in session right now, without touching it:
   * transports ask before accepting a large body, so no one buffers megabytes unsigned.
   */
  isSignedIn(token: string | null): boolean {
    const row = token ? this.sessions.find(token) : undefined;
    if (!row || row.stage !== 'active') return false;
    return this.services.clock.now() - row.last_seen_at <= this.idleMinutes() * 60_000;
  }

  private idleMinutes(): number {
    return readSetting(this.services.db, 'session.idleTimeoutMinutes');
  }

  private authenticate(token: string | null): Authentication {
    if (!token) return { actor: null, ended: null };
    const row = this.sessions.find(token);
    // A token we no longer hold was ended here: signed out elsewhere, disabled, or its role changed.
    if (!row) return { actor: null, ended: 'expired' };
    const now = this.services.clock.now();
    const idleMs = this.idleMinutes() * 60_000;
    const absoluteMs = readSetting(this.services.db, 'session.absoluteTimeoutHours') * 3_600_000;
    const ended = now - row.created_at > absoluteMs ? 'expired' : now - row.last_seen_at > idleMs ? 'idle' : null;
    if (ended) {
      this.sessions.delete(row.id);
      return { actor: null, ended };
    }
    if (now - row.last_seen_at > TOUCH_EVERY_MS) this.sessions.touch(row.id, now);
    const user = stmt<[string], { username: string; status: string }>(
      this.services.db,
      'SELECT username, status FROM users WHERE id = ?',
    ).get(row.user_id);
    if (!user || user.status !== 'active') {
      this.sessions.delete(row.id);
      return { actor: null, ended: 'expired' };
    }
    return { actor: { userId: row.user_id, username: user.username, sessionId: row.id, stage: row.stage }, ended: null };
  }
}

function failure(error: ApiError, session?: SessionChange): DispatchResult {
  return { result: { ok: false, error }, ...(session ? { session } : {}) };
}

function sessionEndedError(ended: 'idle' | 'expired', idleMinutes: number): ApiError {
  return ended === 'idle'
    ? { code: 'SESSION_EXPIRED', message: `Your session locked after ${idleMinutes} minutes without activity. Sign in again.` }
    : { code: 'SESSION_EXPIRED', message: 'Your session has ended. Sign in again.' };
}

function wrongStage(stage: Actor['stage']): ApiError {
  const message =
    stage === 'enroll'
      ? 'Set up your authenticator app first'
      : stage === 'mfa'
        ? 'Enter the code from your authenticator app first'
        : 'You are already signed in';
  return { code: 'WRONG_STAGE', message };
}

function internalError(name: string, error: unknown): ApiError {
  const ref = randomBytes(4).toString('hex');
  log.error(`internal error in ${name.slice(0, 80)} (ref ${ref})`, error);
  return { code: 'INTERNAL', message: `Something went wrong inside Steward and nothing was changed (reference ${ref}).` };
}
