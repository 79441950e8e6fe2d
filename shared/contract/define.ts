import type { z } from 'zod';
import type { ErrorCode } from '../result';

/**
 * Which sign-in stage a caller must have reached to call an operation.
 * `public` needs no session; the others need a session at one of the listed stages.
 * `system` is work Steward does by itself (a job's chunks, retention): no transport reaches
 * it, and it runs only as a system actor, never as a person.
 */
export type Stage = 'enroll' | 'mfa' | 'active';
export type Audience = 'public' | 'system' | readonly Stage[];

export interface OperationSpec<I extends z.ZodType, O> {
  input: I;
  audience: Audience;
  /** A command changes state and writes its audit event; a query does neither. */
  kind: 'command' | 'query';
  /**
   * Input fields that carry a secret (a password, a code, a link token), as dotted paths.
   * A command's envelope never stores them: it keeps what `prepare` concluded from them
   * instead, so such a command can be replayed where it was made and never re-run elsewhere.
   */
  secrets?: readonly string[];
  /** The codes this operation may answer with, beyond the transport-level ones. */
  errors: readonly ErrorCode[];
  /** Phantom: carries the output type; never set at run time. */
  readonly output?: O;
}

/** `op<Output>()({...})` fixes the output type while the input type is inferred. */
export function op<O>() {
  return <I extends z.ZodType>(spec: Omit<OperationSpec<I, O>, 'output'>): OperationSpec<I, O> => spec;
}
