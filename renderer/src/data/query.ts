import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Input, OperationName, Output } from '../../../shared/contract';
import type { ApiError } from '../../../shared/result';
import { invoke } from '../api/client';

/** A refused or failed call, thrown so that the cache keeps it as the query's error. */
export class OpError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** The cache key of an answer: the operation's name, then its input. Invalidating by name reaches every input. */
export function opKey<K extends OperationName>(name: K, input: Input<K>): readonly [K, Input<K>] {
  return [name, input] as const;
}

export interface OpOptions<T> {
  /** Keep showing the last answer while the one for a new input loads (a list whose filter changed). */
  keepPrevious?: boolean;
  /** Ask again after this many ms while the answer says something is still moving (a running job); false stops. */
  poll?: (answer: T) => number | false;
}

/**
 * Reads a query operation through the cache: one request per operation and input however
 * many components ask, fetched again when a command declared to change it succeeds
 * (shared/contract/invalidation.ts). `input` null waits (nothing to ask yet).
 * The error is the server's refusal ({code, message, field}) as an OpError.
 */
export function useOp<K extends OperationName>(
  name: K,
  input: Input<K> | null,
  options: OpOptions<Output<K>> = {},
): UseQueryResult<Output<K>, OpError> {
  return useQuery<Output<K>, OpError, Output<K>, readonly unknown[]>({
    queryKey: input === null ? [name, null] : opKey(name, input),
    queryFn: async () => {
      const result = await invoke(name, input as Input<K>);
      if (!result.ok) throw new OpError(result.error);
      return result.value;
    },
    enabled: input !== null,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    refetchInterval: options.poll
      ? (query) => (query.state.data === undefined ? false : (options.poll?.(query.state.data) ?? false))
      : undefined,
  });
}
