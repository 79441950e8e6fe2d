import { contract, type OperationName, type Output, type ParsedInput } from '../../shared/contract';
import type { CommandContext } from './context';
import type { Refusal } from './errors';

/**
 * Who may run an operation, beyond the session stage the contract demands.
 * - `public`: anybody at that stage (sign-in, setup, status).
 * - `self`: the signed-in caller, acting on their own account only.
 * Later capabilities add permission rules; an operation without a rule cannot be registered.
 */
export type AccessRule = { kind: 'public' } | { kind: 'self' };

export interface HandlerDef<K extends OperationName, P> {
  access: AccessRule;
  /** Async work outside the transaction (hashing, TOTP). Reads only. */
  prepare?: (ctx: CommandContext, input: ParsedInput<K>) => Promise<P>;
  /** Synchronous, inside one transaction; re-checks anything `prepare` read. */
  run: (ctx: CommandContext, input: ParsedInput<K>, prepared: P) => Output<K> | Refusal;
  /**
   * Async work after the commit (sending mail). It may reshape the answer, never the
   * stored state; if it fails the committed answer stands and the failure is logged.
   */
  after?: (ctx: CommandContext, output: Output<K>) => Promise<Output<K>>;
}

/** The erased form the dispatcher stores; typing is enforced where handlers are defined. */
export interface RegisteredHandler {
  name: OperationName;
  access: AccessRule;
  prepare?: (ctx: CommandContext, input: unknown) => Promise<unknown>;
  run: (ctx: CommandContext, input: unknown, prepared: unknown) => unknown;
  after?: (ctx: CommandContext, output: unknown) => Promise<unknown>;
}

export function handler<K extends OperationName, P = undefined>(name: K, def: HandlerDef<K, P>): RegisteredHandler {
  return { name, ...def } as unknown as RegisteredHandler;
}

const ACCESS_KINDS: ReadonlySet<string> = new Set(['public', 'self']);

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
      this.handlers.set(entry.name, entry);
    }
    return this;
  }

  get(name: OperationName): RegisteredHandler | undefined {
    return this.handlers.get(name);
  }

  /** Every operation the contract names has a handler, so no client call dead-ends. */
  assertComplete(): void {
    const missing = (Object.keys(contract) as OperationName[]).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`Operations without a handler: ${missing.join(', ')}`);
  }
}
