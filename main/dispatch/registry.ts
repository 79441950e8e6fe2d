import type { TargetType } from '../../shared/access/decide';
import type { GroupKind } from '../../shared/access/groups';
import { contract, type OperationName, type Output, type ParsedInput } from '../../shared/contract';
import type { Db } from '../db/connection';
import type { Actor, CommandContext } from './context';
import type { Refusal } from './errors';

/**
 * An object a rule is about: its type, its id, and the input field that named it (for errors);
 * no field when the input does not name it (the root group a setting lives at), since a refusal
 * may only name a field the caller sent.
 */
export interface TargetRef {
  type: TargetType;
  id: string;
  field?: string;
}

/**
 * One thing the caller must hold before any work starts (R12).
 * - `permission` on `on`: the decision rule (R2) on that object. A function picks the key
 *   from the object's group kind (locations.manage for a location, groups.manage above).
 * - `dominate`: the caller dominates that person (R7), optionally only where a device's
 *   group is (`within`), because assigning that device is all the person gains.
 */
export type Need = { permission: string | ((kind: GroupKind) => string); on: TargetRef } | { dominate: TargetRef; within?: TargetRef };

/**
 * Who may run an operation, beyond the session stage the contract demands (R12: deny by
 * default; an operation without a rule cannot be registered).
 * - `public`: anybody at that stage (sign-in, setup, status).
 * - `system`: Steward's own work, run only as a system actor (audience `system`); what it
 *   does on a person's behalf (a job's chunk) re-checks that person's rights itself.
 * - `self`: the signed-in caller, acting on their own account or their own view only.
 * - `anywhere`: the caller holds `permission` at some group (else FORBIDDEN); for actions
 *   whose targets are found later or are optional.
 * - `scoped`: everything `needs(input, actor, db)` lists, checked in two passes: first every
 *   named object must be visible to the caller (else NOT_FOUND, before anything else is
 *   said about it), then every permission and dominance (else FORBIDDEN, explained).
 *   `anywhere` may be given too, for operations whose targets are all optional. `keys`
 *   lists every permission `needs` may name, so the catalog can be checked for keys that
 *   guard nothing without guessing inputs; the authorizer refuses to decide a key outside it.
 *   `db` is the database the call runs against: a rule that looks something up reads it
 *   there, never through a handle captured when the rule was built.
 * - `list`: a read whose answer the handler filters by `permission` (scopeCondition, the
 *   list rule). Holding it nowhere gives an empty answer, not a refusal: a list never
 *   tells "nothing there" from "nothing for you". Optional `needs` (a filter's group or
 *   member) are decided as for `scoped`.
 */
export type AccessRule<I = unknown> =
  | { kind: 'public' }
  | { kind: 'system' }
  | { kind: 'self' }
  | { kind: 'anywhere'; permission: string }
  | { kind: 'scoped'; needs: (input: I, actor: Actor, db: Db) => Need[]; anywhere?: string; keys?: readonly string[] }
  | { kind: 'list'; permission: string; needs?: (input: I, actor: Actor, db: Db) => Need[]; keys?: readonly string[] };

/** The context a handler sees: after any rule but `public`, the actor is known and typed. */
export type HandlerContext<A> = [A] extends [{ kind: 'public' }] ? CommandContext : CommandContext & { actor: Actor };

/**
 * How a command's transaction waits for the disk. `relaxed`: it commits without waiting
 * (withRelaxedSync); for a job's chunks, which resume from their cursor after a power cut.
 */
export type Durability = 'full' | 'relaxed';

export interface HandlerDef<K extends OperationName, P, A extends AccessRule<ParsedInput<K>>> {
  access: A;
  durability?: Durability;
  /**
   * true: the command writes nothing the read caches hold (roles, places: groups and role
   * meanings), so the end-of-command hooks leave them warm. A job's chunks run by the hundred.
   */
  keepsCaches?: true;
  /**
   * true: `prepare` reads only the input, stored state and the command's own draws, so a
   * replay runs it again (with the recorded draws) instead of storing what it concluded,
   * which for an import is the whole file parsed. Never for a prepare that reads a secret.
   */
  prepareAgain?: true;
  /**
   * true: the call itself waits for the work `Dispatcher.exclusive` runs (a replica's sync),
   * so that work does not wait for it to finish first.
   */
  besideExclusive?: true;
  /**
   * true: the read runs off the main thread, in a worker of the read pool on its own read-only
   * connection (docs/architecture.md, "The read pool"), once the dispatcher has authorized the
   * call: a query's `prepare` and `run` run there whole; a command's `prepare` runs there (an
   * export reads and writes its file) and its `run` writes on the main thread. Only for reads
   * that can take long, whose handler uses nothing but `ctx` (no secrets, no draws, no session).
   */
  readPool?: true;
  /** Async work outside the transaction (hashing, TOTP), after authorization. Reads only. */
  prepare?: (ctx: HandlerContext<A>, input: ParsedInput<K>) => Promise<P>;
  /** Synchronous, inside one transaction; re-checks anything `prepare` read. */
  run: (ctx: HandlerContext<A>, input: ParsedInput<K>, prepared: P) => Output<K> | Refusal;
  /**
   * Async work after the commit (sending mail). It may reshape the answer, never the
   * stored state; if it fails the committed answer stands and the failure is logged.
   */
  after?: (ctx: HandlerContext<A>, output: Output<K>) => Promise<Output<K>>;
}

/** The erased form the dispatcher stores; typing is enforced where handlers are defined. */
export interface RegisteredHandler {
  name: OperationName;
  access: AccessRule;
  durability?: Durability;
  keepsCaches?: true;
  prepareAgain?: true;
  besideExclusive?: true;
  readPool?: true;
  prepare?: (ctx: CommandContext, input: unknown) => Promise<unknown>;
  run: (ctx: CommandContext, input: unknown, prepared: unknown) => unknown;
  after?: (ctx: CommandContext, output: unknown) => Promise<unknown>;
}

export function handler<K extends OperationName, A extends AccessRule<ParsedInput<K>>, P = undefined>(
  name: K,
  def: HandlerDef<K, P, A>,
): RegisteredHandler {
  return { name, ...def } as unknown as RegisteredHandler;
}

const ACCESS_KINDS: ReadonlySet<string> = new Set(['public', 'system', 'self', 'anywhere', 'scoped', 'list']);

export class Registry {
  private readonly handlers = new Map<OperationName, RegisteredHandler>();

  register(...entries: RegisteredHandler[]): this {
    for (const entry of entries) {
      if (!Object.prototype.hasOwnProperty.call(contract, entry.name)) {
        throw new Error(`Cannot register "${entry.name}": it is not in shared/contract`);
      }
      if (this.handlers.has(entry.name)) throw new Error(`Operation "${entry.name}" is registered twice`);
      // Deny by default: the type system requires a rule, this catches what slips past it.
      if (!entry.access || !ACCESS_KINDS.has(entry.access.kind)) {
        throw new Error(`Operation "${entry.name}" has no access rule and cannot be registered`);
      }
      // A system operation is reachable by no transport, and nothing else may be run by a system actor.
      if ((contract[entry.name].audience === 'system') !== (entry.access.kind === 'system')) {
        throw new Error(`Operation "${entry.name}": the system audience and the system access rule go together`);
      }
      // A command's writes stay on the one writer: only its prepare may read in the pool, and a replay must read again.
      if (entry.readPool && contract[entry.name].kind === 'command' && (!entry.prepare || !entry.prepareAgain)) {
        throw new Error(`Operation "${entry.name}": a command reads in the pool only through a prepare that runs again on replay`);
      }
      this.handlers.set(entry.name, entry);
    }
    return this;
  }

  get(name: OperationName): RegisteredHandler | undefined {
    return this.handlers.get(name);
  }

  /** Every registered operation with its rule, for the catalog-coverage test and docs. */
  entries(): RegisteredHandler[] {
    return [...this.handlers.values()];
  }

  /** Every operation the contract names has a handler, so no client call dead-ends. */
  assertComplete(): void {
    const missing = (Object.keys(contract) as OperationName[]).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`Operations without a handler: ${missing.join(', ')}`);
  }
}
