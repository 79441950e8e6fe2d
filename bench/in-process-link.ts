import type { Result } from '../shared/result';
import { HubUnreachable, type HubLink, type HubTransport } from '../main/sync/hub-client';
import type { SyncHub } from '../main/sync/hub';

/** A fingerprint that stands for the in-process hub (no certificate is involved). */
export const IN_PROCESS_FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');

/**
 * A replica's link to a hub in the same process, calling SyncHub directly instead of over
 * HTTPS: for the convergence property test (hundreds of runs) and the sync bench, which
 * measure sync itself. HTTPS is covered by the tests that start real processes.
 * `up` says whether the hub can be reached; `gate`, when false, refuses until a caller opens it.
 */
export class InProcessLink implements HubLink {
  up = true;
  gate = true;
  /** Pulls the hub answered with a reset: the first one, and any after an answer was lost or could not be applied. */
  resets = 0;

  constructor(private readonly hub: SyncHub) {}

  certificate(): Promise<{ certificate: string; fingerprint: string }> {
    return Promise.resolve({ certificate: 'in-process', fingerprint: IN_PROCESS_FINGERPRINT });
  }

  open(_pin: unknown, token: string | null): HubTransport {
    let bearer = token;
    const post = async <T>(path: string, body: unknown): Promise<Result<T>> => {
      if (!this.up || !this.gate) throw new HubUnreachable('disconnected');
      if (path === 'sync/connect') return (await this.hub.connect(body, 'ip:in-process')) as Result<T>;
      const caller = this.hub.authenticate(bearer);
      if (!caller.ok) return caller;
      if (path === 'sync/push') return (await this.hub.push(caller.value, body)) as Result<T>;
      if (path === 'sync/job') return this.hub.job(caller.value, body) as Result<T>;
      const pulled = this.hub.pull(caller.value, body);
      if (pulled.ok && pulled.value.reset) this.resets++;
      return pulled as Result<T>;
    };
    return { setToken: (t) => (bearer = t), post, listen: () => () => {}, close: () => {} };
  }
}
