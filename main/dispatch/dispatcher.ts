import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { contract, isOperationName, SESSION_ENDED_MESSAGE, type OperationName } from '../../shared/contract';
import type { ApiError, Result } from '../../shared/result';
import { withRelaxedSync } from '../db/connection';
import type { ReadAnswer } from '../db/read-pool';
import { log } from '../log';
import type { Authorizer } from './authorizer';
import { CommandLog } from './command-log';
import type { Actor, AuditDetails, Client, CommandContext, Services, SessionChange } from './context';
import {
  Draws,
  envelopeShape,
  ReplayDivergedError,
  openPart,
  sealPart,
  sealingWith,
  withoutSecrets,
  type CommandEnvelope,
  type EnvelopeActor,
  type SealedPart,
} from './envelope';
import { isRefusal, OpError } from './errors';
import type { RegisteredHandler, Registry } from './registry';
import type { AuditSink, KnownIds, OffThreadReads, PeopleDirectory, SessionDirectory, SessionPolicy } from './services';
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
  /** Aborted when the caller goes away (a closed connection or window): a read in the pool stops. */
  signal?: AbortSignal;
}

export interface DispatchResult {
  result: Result<unknown>;
  /** What the transport must do with its session token after this call. */
  session?: SessionChange;
}

/** What the dispatcher core is handed: the handlers' services, and the features it needs as services. */
export interface DispatcherDeps {
  services: Services;
  /** This data folder's installation id: the origin of the commands made here. */
  installationId: string;
  registry: Registry;
  authorizer: Authorizer;
  audit: AuditSink;
  sessions: SessionDirectory;
  policy: SessionPolicy;
  people: PeopleDirectory;
  knownIds: KnownIds;
  /** The read pool; without it, reads marked `readPool` run on the main thread. */
  reads?: OffThreadReads;
}

/**
 * How `dispatchAs` runs an envelope (docs/architecture.md, "The life of a command"):
 * - `replay`: this installation's own command again, on a copy of the state it was made on
 *   (restore, the replay test). Recorded time, ids, bytes and `prepare` outcome; the stored
 *   envelope is written again as it was; `after` (mail) does not run again.
 * - `revalidate`: another installation's command (a replica's offline work, on the hub).
 *   Fresh time and bytes, the recorded ids, `prepare` run again, `after` runs; the input is
 *   parsed again, and a command with secret fields is refused (it cannot be re-run without them).
 * - `rebase`: this installation's own command, not yet answered by the hub, run again on a
 *   replica after a pull put the hub's state back (docs/sync.md, "Rebase"). As `replay`
 *   (recorded draws and `prepare` outcome, no `after`), but nothing is recorded: its audit
 *   event and envelope were written when it was first made, and the hub decides it.
 */
export type ReplayMode = 'replay' | 'revalidate' | 'rebase';

/** What `dispatchAs` may be told beyond the envelope. */
export interface DispatchAsOptions {
  /**
   * `revalidate`: the sequence of this origin's command that reached here before this one (0:
   * none). A replica skips its local work (job steps, refusals, sign-ins), which is never
   * pushed; without it, the next after the last held is expected.
   */
  follows?: number;
  /**
   * `revalidate`: where the command reached this installation, as the transport knows it (the
   * console origin for links in mail; `ip:<address>`). The envelope's own say is never taken:
   * it is the other installation's word. Absent: no origin, source `local`.
   */
  webOrigin?: string | null;
  source?: string;
  /** `rebase`: runs inside the command's transaction once its handler succeeded (a replica's progress mark). */
  within?: () => void;
}

type Authentication = { actor: Actor | null; ended: 'idle' | 'expired' | null };

/** One call on its way through the core, whatever entry point it came by. */
interface Call {
  name: OperationName;
  registered: RegisteredHandler;
  input: unknown;
  actor: Actor | null;
  client: Client;
  source: string;
  webOrigin: string | null;
  mode: 'live' | ReplayMode;
  /** The envelope being re-run, when it is one. */
  recorded?: { envelope: CommandEnvelope; part: SealedPart; sealed: Buffer | null };
  /** DispatchAsOptions.within. */
  within?: () => void;
  endedSession?: SessionChange;
  /** CallMeta.signal. */
  signal?: AbortSignal;
}

/** A call's state once its context exists. */
interface Running {
  call: Call;
  ctx: CommandContext;
  draws: Draws;
  details: AuditDetails;
  isCommand: boolean;
  commandId: string;
  sessionChange?: SessionChange;
  /** What prepare concluded, as stored in the sealed part (null when it is not stored). */
  prepared: SealedPart['prepared'];
  preparedValue?: unknown;
}

const TOUCH_EVERY_MS = 15_000;
/** The ids Steward draws (Entropy.id): UUIDs. A replica's recorded ids must look like them. */
const DRAWN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How long a refused call's audit event may wait to be written with others (see recordRefusal). */
const REFUSAL_FLUSH_MS = 25;
/** Refusals that are about who may do what, not about the input's form: recorded wherever they are decided. */
const AUTHORITY_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/**
 * The one way into the application, whatever the transport: look up the operation,
 * authenticate, parse the input from `unknown`, authorize, then run the handler in one
 * transaction together with its audit event and its envelope. Three entry points share
 * that path: `dispatch` (a session's call), `dispatchAs` (an envelope run again as its
 * actor) and `runSystem` (Steward's own work, as a system actor).
 */
export class Dispatcher {
  private readonly commands: CommandLog;
  private readonly services: Services;

  constructor(private readonly deps: DispatcherDeps) {
    deps.registry.assertComplete();
    this.services = deps.services;
    this.commands = new CommandLog(deps.services.db);
  }

  private readonly commandEndHooks: Array<() => void> = [];
  private readonly committedHooks: Array<(name: OperationName) => void> = [];

  /** Runs after every command, committed or rolled back: caches of what commands may change drop here. */
  onCommandEnd(hook: () => void): void {
    this.commandEndHooks.push(hook);
  }

  /** Runs after a command committed (not refused), with its name: what must follow it (retention) is scheduled here. */
  onCommitted(hook: (name: OperationName) => void): void {
    this.committedHooks.push(hook);
  }

  private gate: Promise<void> | null = null;
  private inFlight = 0;
  private drained: (() => void) | null = null;

  /**
   * Runs `work` while no session call runs: calls already started finish first, new ones wait
   * until `work` ends. A replica's rebase (undo, pull, re-run) must not interleave with a
   * person's new command, whose sequence would then come before the commands it follows.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.gate) await this.gate;
    let open = () => {};
    this.gate = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.gate = null;
      open();
    }
  }

  /** A session's call: the transports' entry point. System operations do not exist for it. */
  async dispatch(name: string, rawInput: unknown, meta: CallMeta): Promise<DispatchResult> {
    if (isOperationName(name) && this.deps.registry.get(name)?.besideExclusive) return this.dispatchNow(name, rawInput, meta);
    while (this.gate) await this.gate;
    this.inFlight++;
    try {
      return await this.dispatchNow(name, rawInput, meta);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.drained) {
        this.drained();
        this.drained = null;
      }
    }
  }

  private restriction: ((name: string, input: unknown) => ApiError | null) | null = null;

  /**
   * Refuses some session calls before anything else is looked at: `check` answers the refusal
   * or null (it must not trust `input`'s form). A replica refuses what only its hub can do.
   */
  restrict(check: (name: string, input: unknown) => ApiError | null): void {
    this.restriction = check;
  }

  private async dispatchNow(name: string, rawInput: unknown, meta: CallMeta): Promise<DispatchResult> {
    const restricted = this.restriction?.(name, rawInput);
    if (restricted) return failure(restricted);
    return this.guarded(name, async (reached) => {
      if (!isOperationName(name) || contract[name].audience === 'system') {
        return failure({ code: 'UNKNOWN_OPERATION', message: `There is no operation named "${name.slice(0, 80)}"` });
      }
      const spec = contract[name];
      const registered = this.deps.registry.get(name);
      if (!registered) return failure({ code: 'UNKNOWN_OPERATION', message: `Operation "${name}" is not available` });

      const auth = this.authenticate(meta.token);
      const endedSession: SessionChange | undefined = auth.ended ? { kind: 'clear' } : undefined;
      if (spec.audience !== 'public') {
        if (!auth.actor) {
          return auth.ended
            ? failure(sessionEndedError(auth.ended, this.deps.policy.idleMinutes()), endedSession)
            : failure({ code: 'UNAUTHENTICATED', message: 'Sign in first' });
        }
        if (spec.audience !== 'system' && !spec.audience.includes(auth.actor.stage)) return failure(wrongStage(auth.actor.stage));
      }
      if (registered.access.kind !== 'public' && !auth.actor) return failure({ code: 'UNAUTHENTICATED', message: 'Sign in first' });

      const parsed = spec.input.safeParse(rawInput === undefined ? {} : rawInput, { reportInput: true });
      if (!parsed.success) return failure(validationError(parsed.error), endedSession);
      return this.execute(
        {
          name,
          registered,
          input: parsed.data,
          actor: auth.actor,
          client: meta.client,
          source: meta.source ?? 'local',
          webOrigin: meta.origin ?? null,
          mode: 'live',
          ...(endedSession ? { endedSession } : {}),
          ...(meta.signal ? { signal: meta.signal } : {}),
        },
        reached,
      );
    });
  }

  /**
   * Runs a stored command again as its actor against this database (ReplayMode says what
   * each mode takes from the envelope). Checked as `dispatch` checks a call: the actor
   * exists and is active here, their stage admits the operation, the input parses (a
   * secret field's stand-in aside), and then authorization as usual (R12).
   * - `replay` takes only this installation's own commands, with their sealed part.
   * - `revalidate` takes only other installations' commands, each origin's in sequence: one
   *   already held is CONFLICT (skip it), one beyond the next is a gap (VALIDATION on
   *   `origin.seq`). From there every refusal is recorded with its envelope, so a queue of
   *   them never jams.
   *
   * @returns the command's result, as `dispatch` answers it; a replay that draws what the
   *   recording did not is an INTERNAL error and changes nothing.
   */
  async dispatchAs(
    logged: { envelope: CommandEnvelope; sealed: Buffer | null },
    mode: ReplayMode,
    options: DispatchAsOptions = {},
  ): Promise<DispatchResult> {
    const shape = envelopeShape.safeParse(logged.envelope, { reportInput: true });
    if (!shape.success) return failure(validationError(shape.error));
    const { envelope } = logged;
    return this.guarded(String(envelope.operation), async (reached) => {
      const name = envelope.operation;
      if (!isOperationName(name) || contract[name].kind !== 'command') {
        return failure({ code: 'UNKNOWN_OPERATION', message: `There is no command named "${String(name).slice(0, 80)}"` });
      }
      const spec = contract[name];
      const registered = this.deps.registry.get(name);
      if (!registered) return failure({ code: 'UNKNOWN_OPERATION', message: `Operation "${name}" is not available` });
      const here = envelope.origin?.installation === this.deps.installationId;
      if (mode !== 'revalidate' && !here) {
        return failure({
          code: 'FORBIDDEN',
          message: `A ${mode} takes only the commands this installation made`,
          field: 'origin.installation',
        });
      }
      if (mode === 'revalidate') {
        const sequenced = this.inSequence(envelope, here, options.follows);
        if (sequenced) return sequenced;
      }
      const system = envelope.actor?.system;
      if ((spec.audience === 'system') !== (system !== undefined) || (system !== undefined && mode === 'revalidate')) {
        return failure({ code: 'FORBIDDEN', message: 'Steward’s own work runs only where it was started' });
      }
      const own = mode !== 'revalidate';
      const part = own ? openPart(this.services.secrets, logged.sealed) : { bytes: [], prepared: null };
      const call: Call = {
        name,
        registered,
        input: envelope.input,
        actor: null,
        client: envelope.client,
        source: own ? envelope.source : (options.source ?? 'local'),
        webOrigin: own ? envelope.webOrigin : (options.webOrigin ?? null),
        mode,
        recorded: { envelope, part, sealed: own ? logged.sealed : null },
        ...(options.within ? { within: options.within } : {}),
      };
      const refused = (error: ApiError) => {
        // Another installation's queue must move on: its refusal is recorded, as any other command's.
        if (mode === 'revalidate') this.recordRefusal(this.begin(call), error);
        return failure(error);
      };
      if (system !== undefined) call.actor = systemActor(system);
      else if (envelope.actor) {
        const username = this.deps.people.activeUsername(envelope.actor.userId);
        if (!username) return refused({ code: 'UNAUTHENTICATED', message: `${envelope.actor.username} is not an active person here` });
        call.actor = { userId: envelope.actor.userId, username, sessionId: envelope.actor.sessionId ?? '', stage: envelope.actor.stage };
      }
      if (spec.audience !== 'public' && spec.audience !== 'system') {
        if (!call.actor) return refused({ code: 'UNAUTHENTICATED', message: 'Sign in first' });
        if (!spec.audience.includes(call.actor.stage)) return refused(wrongStage(call.actor.stage));
      }
      if (mode === 'revalidate') {
        // A command that needed a secret was typed at its installation; the hub never had the secret.
        if (spec.secrets && spec.secrets.length > 0) {
          return refused({ code: 'FORBIDDEN', message: `${name} needs a secret typed at the hub; it cannot be re-run from a replica` });
        }
        if (!call.actor || call.actor.stage !== 'active') {
          return refused({ code: 'FORBIDDEN', message: `${name} cannot be re-run for another installation` });
        }
        const badId = envelope.draws.ids.findIndex((id) => !DRAWN_ID.test(id));
        if (badId >= 0)
          return refused({ code: 'VALIDATION', message: 'draws.ids: an id Steward did not draw', field: `draws.ids.${badId}` });
        // An id this data folder already uses, live or gone, would hand the command's objects another's history.
        const takenId = envelope.draws.ids.findIndex((id) => this.deps.knownIds.known(id));
        if (takenId >= 0) {
          return refused({
            code: 'CONFLICT',
            message: 'draws.ids: an id already used here (an object it creates would take another’s place)',
            field: `draws.ids.${takenId}`,
          });
        }
      }
      const parsed = this.parseAgain(name, envelope.input);
      if (!parsed.ok) return refused(parsed.error);
      call.input = parsed.input;
      return this.execute(call, reached);
    });
  }

  /**
   * Exactly once, in order, per origin (revalidate): a command already held, or one past the
   * next, is answered without running or recording anything.
   */
  private inSequence(envelope: CommandEnvelope, here: boolean, follows: number | undefined): DispatchResult | null {
    if (here) {
      return failure({
        code: 'FORBIDDEN',
        message: 'This installation’s own commands are replayed, not re-validated',
        field: 'origin.installation',
      });
    }
    // Refusals waiting in the batch hold their sequence numbers too.
    this.flushRefusals();
    const last = this.commands.lastSeq(envelope.origin.installation);
    if (envelope.origin.seq <= last) {
      return failure({
        code: 'CONFLICT',
        message: `Command ${envelope.origin.seq} of this installation was already taken`,
        field: 'origin.seq',
      });
    }
    const previous = follows ?? envelope.origin.seq - 1;
    if (previous >= envelope.origin.seq || previous < 0) {
      return failure({ code: 'VALIDATION', message: 'follows: must be a sequence before origin.seq', field: 'follows' });
    }
    if (previous !== last) {
      return failure({
        code: 'VALIDATION',
        message:
          previous > last
            ? `origin.seq: command ${previous} of this installation comes first (a gap in its sequence)`
            : `origin.seq: command ${last} of this installation was taken here, but ${envelope.origin.seq} says it follows ${previous}`,
        field: 'origin.seq',
      });
    }
    return null;
  }

  /**
   * The input parsed again from the envelope, as `dispatch` parses a call's. A secret
   * field's stand-in is not held against it: in a replay it is never read (prepare's
   * recorded outcome stands in for what was derived from it).
   */
  private parseAgain(name: OperationName, input: unknown): { ok: true; input: unknown } | { ok: false; error: ApiError } {
    const spec = contract[name];
    const parsed = spec.input.safeParse(input, { reportInput: true });
    if (parsed.success) return { ok: true, input: parsed.data };
    const secrets = spec.secrets ?? [];
    const issues = parsed.error.issues.filter((issue) => !secrets.includes(issue.path.map(String).join('.')));
    if (issues.length === 0) return { ok: true, input };
    return { ok: false, error: validationError(new z.ZodError(issues)) };
  }

  /**
   * Steward's own work (audience `system`) as the system actor `who` ("job runner",
   * "retention"), synchronously: such operations have no `prepare` or `after`.
   *
   * @returns the operation's result; an internal failure is logged and answered as INTERNAL.
   */
  runSystem(name: OperationName, input: unknown, who: string): Result<unknown> {
    const reached = { handler: false };
    try {
      const registered = this.deps.registry.get(name);
      if (contract[name].audience !== 'system' || !registered || registered.prepare || registered.after) {
        throw new Error(`${name} is not a system operation`);
      }
      const parsed = contract[name].input.safeParse(input, { reportInput: true });
      if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
      const running = this.begin({
        name,
        registered,
        input: parsed.data,
        actor: systemActor(who),
        client: 'cli',
        source: 'local',
        webOrigin: null,
        mode: 'live',
      });
      const refused = this.authorizeCall(running);
      if (refused) return refused.result;
      reached.handler = true;
      return this.commit(running).result;
    } catch (error) {
      return { ok: false, error: internalError(name, error) };
    } finally {
      if (reached.handler) this.endCommand(name);
    }
  }

  private async guarded(name: string, body: (reached: { handler: boolean }) => Promise<DispatchResult>): Promise<DispatchResult> {
    const reached = { handler: false };
    try {
      return await body(reached);
    } catch (error) {
      return { result: { ok: false, error: internalError(name, error) } };
    } finally {
      // A command refused before its handler changed nothing: the caches stay.
      if (reached.handler && isOperationName(name) && contract[name].kind === 'command') this.endCommand(name);
    }
  }

  private endCommand(name: OperationName): void {
    // A command that writes nothing the caches hold (a job's chunk) leaves them warm for the next one.
    if (this.deps.registry.get(name)?.keepsCaches) return;
    for (const hook of this.commandEndHooks) hook();
  }

  private async execute(call: Call, reached: { handler: boolean }): Promise<DispatchResult> {
    const running = this.begin(call);
    const refused = this.authorizeCall(running);
    if (refused) return refused;

    reached.handler = true;
    if (!running.isCommand && this.inPool(call)) {
      const answer = await this.readInPool(running, 'run');
      return { result: answer, ...(running.sessionChange ? { session: running.sessionChange } : {}) };
    }
    const prepared = await this.prepareCall(running);
    if (prepared) return prepared;
    const done = this.commit(running);
    if (!done.result.ok) return done;
    const { registered } = call;
    // `after` sends mail or reshapes the answer; a replay must not mail anyone twice.
    const value =
      registered.after && call.mode !== 'replay' && call.mode !== 'rebase'
        ? await this.afterCommit(call.name, registered.after, running.ctx, done.result.value)
        : done.result.value;
    if (running.isCommand) for (const hook of this.committedHooks) hook(call.name);
    return { result: { ok: true, value }, ...(running.sessionChange ? { session: running.sessionChange } : {}) };
  }

  /** The call's context: time and randomness through its Draws, so that what it drew can be recorded. */
  private begin(call: Call): Running {
    const isCommand = contract[call.name].kind === 'command';
    const recorded = call.recorded;
    const draws = new Draws(
      this.services,
      call.mode,
      call.name,
      recorded ? { draws: recorded.envelope.draws, bytes: recorded.part.bytes } : undefined,
    );
    const details: AuditDetails = {};
    const running: Running = {
      call,
      details,
      draws,
      isCommand,
      commandId: recorded?.envelope.id ?? this.services.entropy.id(),
      prepared: null,
      ...(call.endedSession ? { sessionChange: call.endedSession } : {}),
      ctx: undefined as unknown as CommandContext, // set just below: the context's callbacks close over `running`
    };
    running.ctx = {
      db: this.services.db,
      clock: draws.clock,
      entropy: draws.entropy,
      secrets: sealingWith(this.services.secrets, draws.entropy),
      actor: call.actor,
      client: call.client,
      source: call.source,
      origin: call.webOrigin,
      audit: (more) => {
        if (!isCommand) throw new Error(`Query "${call.name}" tried to write an audit event`);
        Object.assign(details, more);
      },
      setSession: (change) => {
        if (!isCommand) throw new Error(`Query "${call.name}" tried to change the session`);
        // A command run again from its envelope has no transport to hand a session to.
        if (call.mode === 'live') running.sessionChange = change;
      },
    };
    return running;
  }

  /** R12: authorize before `prepare` and `run`, so a refused call hashes, mails and writes nothing but its audit event. */
  private authorizeCall(running: Running): DispatchResult | null {
    const { call } = running;
    if (!call.actor || call.registered.access.kind === 'public') return null;
    const verdict = this.deps.authorizer.authorize(call.actor, call.registered.access, call.input);
    if (verdict.ok) return null;
    if (running.isCommand) {
      if (verdict.target) running.details.target = verdict.target;
      this.recordRefusal(running, verdict.error);
    }
    return failure(verdict.error, call.endedSession);
  }

  /**
   * `prepare` reads only, outside the transaction. Its draws are not recorded: what it
   * concluded is, sealed, and a replay takes that instead of running it (its inputs may be
   * secrets the envelope never holds).
   */
  private async prepareCall(running: Running): Promise<DispatchResult | null> {
    const { call } = running;
    const prepare = call.registered.prepare;
    if (!prepare) return null;
    let outcome: NonNullable<SealedPart['prepared']>;
    const again = call.registered.prepareAgain === true;
    const exact = call.mode === 'replay' || call.mode === 'rebase';
    const recorded = exact && !again ? call.recorded?.part.prepared : undefined;
    // A read marked for the pool reads the trail as a transaction would: refusals waiting are written first, pool or not.
    if (call.registered.readPool) this.flushRefusals();
    if (recorded) outcome = recorded;
    else if (exact && !again) {
      // Never prepare live from the envelope: its secret fields are stand-ins.
      throw new ReplayDivergedError(call.name, 'what prepare concluded (its sealed part) is missing');
    } else {
      try {
        // A prepare run again in a replay draws through the command's Draws, recorded in order before run's.
        const prepareCtx = again
          ? running.ctx
          : { ...running.ctx, clock: this.services.clock, entropy: this.services.entropy, secrets: this.services.secrets };
        outcome = this.inPool(call)
          ? await this.readInPool(running, 'prepare')
          : { ok: true, value: await prepare(prepareCtx, call.input) };
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
        outcome = { ok: false, error: error.toApiError() };
      }
    }
    // What a prepare run again concludes is not stored: the replay concludes it again.
    running.prepared = again ? null : outcome;
    running.preparedValue = outcome.ok ? outcome.value : undefined;
    if (outcome.ok) return null;
    // A refusal about the input (a weak password, a stale step) leaves no trace; one about
    // authority decided early so that nothing is hashed (R12) is recorded, as from `run`.
    if (running.isCommand && AUTHORITY_CODES.has(outcome.error.code)) this.recordRefusal(running, outcome.error);
    return failure(outcome.error, call.endedSession);
  }

  /** A live call of a handler marked `readPool`, when there is a pool: a replay reads where its commands write. */
  private inPool(call: Call): boolean {
    return call.registered.readPool === true && this.deps.reads !== undefined && call.mode === 'live';
  }

  /**
   * The authorized read, in the read pool (docs/architecture.md, "The read pool"): a query's
   * prepare and run, or a command's prepare. The worker reads a snapshot begun after every
   * command that answered before this call, at the call's time as read here.
   */
  private readInPool(running: Running, phase: 'run' | 'prepare'): Promise<ReadAnswer> {
    const { call } = running;
    const reads = this.deps.reads as OffThreadReads;
    // As before any transaction: refused calls' events are written first, so the read sees them.
    this.flushRefusals();
    return reads.read(
      {
        name: call.name,
        phase,
        input: call.input,
        actor: call.actor,
        client: call.client,
        source: call.source,
        origin: call.webOrigin,
        // Not through the call's draws: a command's envelope records only what its own steps drew.
        now: this.services.clock.now(),
      },
      call.signal,
    );
  }

  /** `run` and its audit event and envelope, in one transaction; a thrown refusal rolls back and is recorded after. */
  private commit(running: Running): DispatchResult {
    const { call, ctx } = running;
    const prepared = running.preparedValue;
    try {
      const outcome = this.transaction(running.isCommand, call.registered.durability, () => {
        const value = call.registered.run(ctx, call.input, prepared);
        if (running.isCommand) this.record(running, isRefusal(value) ? value.refusal : null);
        return value;
      });
      if (isRefusal(outcome)) return failure(outcome.refusal, running.sessionChange);
      return { result: { ok: true, value: outcome }, ...(running.sessionChange ? { session: running.sessionChange } : {}) };
    } catch (error) {
      const refusal = error instanceof OpError ? error : call.mode === 'revalidate' ? collision(error) : null;
      if (!refusal) throw error;
      const apiError = refusal.toApiError();
      // The change rolled back; the refusal itself is still a fact worth recording.
      if (running.isCommand) this.recordRefusal(running, apiError);
      return failure(apiError, call.endedSession);
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

  private pendingRefusals: Array<{ running: Running; error: ApiError; at: number }> = [];
  private refusalTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * A refused command's audit event (R12). Refusals changed nothing, so their events are
   * written together: within REFUSAL_FLUSH_MS, or before the next transaction of any call,
   * so the trail keeps the order in which things happened. A flood of refused calls then
   * costs one commit per batch instead of one each, and cannot slow everyone else down.
   * A crash can lose at most the events of the last REFUSAL_FLUSH_MS.
   */
  private recordRefusal(running: Running, error: ApiError): void {
    // A rebase re-runs a command recorded when it was made; refused now, it waits for the hub's answer.
    if (running.call.mode === 'rebase') return;
    this.pendingRefusals.push({ running, error, at: running.ctx.clock.now() });
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
    const { db } = this.services;
    const write = (guarded: boolean) =>
      withRelaxedSync(db, () =>
        db
          .transaction(() => {
            for (const r of batch) {
              if (!guarded) this.record(r.running, r.error, r.at);
              else {
                // Each in its own savepoint: one that cannot be written (a replay that diverged) costs only itself.
                try {
                  db.transaction(() => this.record(r.running, r.error, r.at))();
                } catch (error) {
                  internalError(r.running.call.name, error);
                }
              }
            }
          })
          .immediate(),
      );
    try {
      // The whole batch at once; only when that fails is it written again refusal by refusal.
      try {
        write(false);
      } catch {
        write(true);
      }
    } catch (error) {
      // Called from a timer too: a failed batch is logged, never thrown into the event loop.
      internalError('the batch of refused commands', error);
    }
  }

  private transaction<T>(write: boolean, durability: RegisteredHandler['durability'], fn: () => T): T {
    this.flushRefusals();
    const { db } = this.services;
    const tx = db.transaction(fn);
    if (!write) return tx.deferred();
    return durability === 'relaxed' ? withRelaxedSync(db, () => tx.immediate()) : tx.immediate();
  }

  /** The command's audit event and its envelope, together (they are one fact). */
  private record(running: Running, error: ApiError | null, at = running.ctx.clock.now()): void {
    const { call, details, ctx } = running;
    if (call.mode === 'rebase') {
      if (!error) call.within?.();
      return;
    }
    const actor = call.actor;
    const auditSeq = this.deps.audit.append({
      ...details,
      ...this.placed(details, actor),
      at,
      actor: actor
        ? { userId: actor.system ? null : actor.userId, username: actor.system ? `System (${actor.system})` : actor.username }
        : null,
      client: ctx.client,
      action: details.action ?? call.name,
      outcome: error ? 'denied' : 'success',
      ...(error ? { errorCode: error.code } : {}),
    });
    const recorded = call.recorded;
    if (call.mode === 'replay' && recorded) {
      const expected = recorded.envelope.draws;
      if (running.draws.clockReadings.length !== expected.clock.length || running.draws.ids.length !== expected.ids.length) {
        throw new ReplayDivergedError(call.name, 'it drew fewer clock readings or ids than the recorded command');
      }
      // What ran is what is stored: the envelope's known fields with the input as parsed, and the
      // sealed part that opened (sealed again it would differ: its IV is random).
      const ran = canonical({ ...recorded.envelope, input: withoutSecrets(call.input, contract[call.name].secrets) });
      this.commands.append(ran, JSON.stringify(ran), recorded.sealed, auditSeq, error);
      return;
    }
    const origin =
      call.mode === 'revalidate' && recorded
        ? recorded.envelope.origin
        : { installation: this.deps.installationId, seq: this.commands.nextSeq(this.deps.installationId) };
    const envelope: CommandEnvelope = canonical({
      v: 1,
      id: running.commandId,
      operation: call.name,
      input: withoutSecrets(call.input, contract[call.name].secrets),
      actor: actor ? envelopeActor(actor) : null,
      client: ctx.client,
      source: call.source,
      webOrigin: call.webOrigin,
      origin,
      draws: running.draws.envelopeDraws(),
    });
    const sealed = sealPart(this.services.secrets, { bytes: running.draws.bytes, prepared: running.prepared });
    this.commands.append(envelope, JSON.stringify(envelope), sealed, auditSeq, error);
  }

  /**
   * Every event belongs to a group, so audit scoping can place it: the group it names, else
   * the affected person's home, else the actor's home, else the root (anonymous attempts).
   */
  private placed(details: AuditDetails, actor: Actor | null): { groupId?: string } {
    const { people } = this.deps;
    const groupId =
      details.groupId ??
      (details.target?.type === 'user' ? people.homeGroup(details.target.id) : undefined) ??
      (actor && !actor.system ? people.homeGroup(actor.userId) : undefined) ??
      people.rootGroup();
    return groupId ? { groupId } : {};
  }

  /**
   * Whether `token` belongs to a fully signed-in session right now, without touching it:
   * transports ask before accepting a large body, so no one buffers megabytes unsigned.
   */
  isSignedIn(token: string | null): boolean {
    const row = token ? this.deps.sessions.find(token) : undefined;
    if (!row || row.stage !== 'active') return false;
    return this.services.clock.now() - row.last_seen_at <= this.deps.policy.idleMinutes() * 60_000;
  }

  /** The person of a fully signed-in session, or null; like isSignedIn, without touching it. */
  signedInUser(token: string | null): string | null {
    return this.isSignedIn(token) ? (this.deps.sessions.find(token ?? '')?.user_id ?? null) : null;
  }

  /**
   * The session's person, if the session is still good. Touching and ending sessions is the
   * transports' bookkeeping, not a command: it happens on reads as well, is never
   * replicated, and a replay never needs it (docs/architecture.md).
   */
  private authenticate(token: string | null): Authentication {
    if (!token) return { actor: null, ended: null };
    const { sessions, policy, people } = this.deps;
    const row = sessions.find(token);
    // A token we no longer hold was ended here: signed out elsewhere, disabled, or its role changed.
    if (!row) return { actor: null, ended: 'expired' };
    const now = this.services.clock.now();
    const idleMs = policy.idleMinutes() * 60_000;
    const absoluteMs = policy.absoluteHours() * 3_600_000;
    const ended = now - row.created_at > absoluteMs ? 'expired' : now - row.last_seen_at > idleMs ? 'idle' : null;
    if (ended) {
      sessions.delete(row.id);
      return { actor: null, ended };
    }
    if (now - row.last_seen_at > TOUCH_EVERY_MS) sessions.touch(row.id, now);
    const username = people.activeUsername(row.user_id);
    if (!username) {
      sessions.delete(row.id);
      return { actor: null, ended: 'expired' };
    }
    return { actor: { userId: row.user_id, username, sessionId: row.id, stage: row.stage }, ended: null };
  }
}

/** The envelope's fields, and only those, in one order: the stored text of a replay equals the original's. */
function canonical(e: CommandEnvelope): CommandEnvelope {
  return {
    v: 1,
    id: e.id,
    operation: e.operation,
    input: e.input,
    actor: e.actor
      ? {
          userId: e.actor.userId,
          username: e.actor.username,
          stage: e.actor.stage,
          sessionId: e.actor.sessionId,
          ...(e.actor.system !== undefined ? { system: e.actor.system } : {}),
        }
      : null,
    client: e.client,
    source: e.source,
    webOrigin: e.webOrigin,
    origin: { installation: e.origin.installation, seq: e.origin.seq },
    draws: { clock: e.draws.clock, ids: e.draws.ids },
  };
}

/**
 * A replica's command that collides with what the hub holds (an id it drew is taken here) is
 * a refusal of that command, recorded, so that replica's queue moves on; not an internal error.
 */
function collision(error: unknown): OpError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return null;
  return new OpError('CONFLICT', 'This command collides with what is stored here (an object it names or creates already exists)');
}

function systemActor(who: string): Actor {
  return { userId: `system:${who}`, username: `System (${who})`, sessionId: '', stage: 'active', system: who };
}

function envelopeActor(actor: Actor): EnvelopeActor {
  return {
    userId: actor.userId,
    username: actor.username,
    stage: actor.stage,
    sessionId: actor.sessionId || null,
    ...(actor.system ? { system: actor.system } : {}),
  };
}

function failure(error: ApiError, session?: SessionChange): DispatchResult {
  return { result: { ok: false, error }, ...(session ? { session } : {}) };
}

function sessionEndedError(ended: 'idle' | 'expired', idleMinutes: number): ApiError {
  return ended === 'idle'
    ? { code: 'SESSION_EXPIRED', message: `Your session locked after ${idleMinutes} minutes without activity. Sign in again.` }
    : { code: 'SESSION_EXPIRED', message: SESSION_ENDED_MESSAGE };
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
