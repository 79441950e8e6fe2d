import type { Input, OperationName, Output } from '../../../shared/contract';
import type { ApiError, Result } from '../../../shared/result';
import { commandSucceeded } from '../data/invalidate';
import { detectTransport, type Transport } from './transport';

type Listener = (error: ApiError) => void;

const transport: Transport = detectTransport();
const sessionEndListeners = new Set<Listener>();

/**
 * The one typed client: names, inputs and outputs all come from shared/contract. A command
 * that succeeds refreshes the answers it is declared to change (data/invalidate.ts).
 */
export async function invoke<K extends OperationName>(name: K, input: Input<K>): Promise<Result<Output<K>>> {
  const result = (await transport(name, input)) as Result<Output<K>>;
  if (result.ok) commandSucceeded(name);
  // UNAUTHENTICATED too: another call may already have been told the session ended (and the cookie cleared),
  // as when a replica's sync ends its person's sessions after their roles changed on the hub.
  const ended =
    !result.ok && (result.error.code === 'SESSION_EXPIRED' || (result.error.code === 'UNAUTHENTICATED' && !name.startsWith('auth.')));
  if (ended) for (const listener of sessionEndListeners) listener(result.error);
  return result;
}

/** Called whenever any call finds the session locked or ended, wherever it was made. */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}
