import type { z } from 'zod';
import type { ErrorCode } from '../result';

/**
 * Which sign-in stage a caller must have reached to call an operation.
 * `public` needs no session; the others need a session at one of the listed stages.
 */
export type Stage = 'enroll' | 'mfa' | 'active';
export type Audience = 'public' | readonly Stage[];

export interface OperationSpec<I extends z.ZodType, O> {
  input: I;
  audience: Audience;
  /** A command changes state and writes its audit event; a query does neither. */
  kind: 'command' | 'query';
  /** The codes this operation may answer with, beyond the transport-level ones. */
  errors: readonly ErrorCode[];
  /** Phantom: carries the output type; never set at run time. */
  readonly output?: O;
}

/** `op<Output>()({...})` fixes the output type while the input type is inferred. */
export function op<O>() {
  return <I extends z.ZodType>(spec: Omit<OperationSpec<I, O>, 'output'>): OperationSpec<I, O> => spec;
}
