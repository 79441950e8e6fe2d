import { setMaxListeners } from 'node:events';
import type { Result } from '../../../shared/result';
import type { Dispatcher } from '../../dispatch/dispatcher';
import { signInThroughBrowser } from '../loopback-sso';
import { isTrustedSender, type SenderFacts } from './sender';

/**
 * IPC front door. Session tokens stay in the main process, one per window, so the page
 * never sees one. Kept free of Electron imports so it is tested in Node.
 */
export class IpcTransport {
  private readonly tokens = new Map<number, string>();
  /** Per window: aborted when the window goes, so its reads in the read pool stop. */
  private readonly lifetimes = new Map<number, AbortController>();
  readonly windows = new Set<number>();

  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(sender: SenderFacts, name: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isTrustedSender(sender, this.windows)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This message did not come from the Steward window' } };
    }
    if (typeof name !== 'string')
      return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: 'The operation name must be a string' } };
    const token = this.tokens.get(sender.webContentsId) ?? null;
    const { result, session } = await this.dispatcher.dispatch(name, input, {
      token,
      client: 'desktop',
      source: 'ipc',
      signal: this.lifetime(sender.webContentsId),
    });
    if (session?.kind === 'set') this.tokens.set(sender.webContentsId, session.token);
    if (session?.kind === 'clear') this.tokens.delete(sender.webContentsId);
    return result;
  }

  /**
   * "Sign in with …" in the desktop window: the system browser and a loopback redirect
   * (RFC 8252, loopback-sso.ts). The session it ends with belongs to the window that asked.
   */
  async signInWithProvider(
    sender: SenderFacts,
    providerId: unknown,
    openBrowser: (url: string) => Promise<void>,
  ): Promise<Result<unknown>> {
    if (!isTrustedSender(sender, this.windows)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This message did not come from the Steward window' } };
    }
    if (typeof providerId !== 'string')
      return { ok: false, error: { code: 'VALIDATION', message: 'The provider id must be a string', field: 'providerId' } };
    const { result, session } = await signInThroughBrowser({ dispatcher: this.dispatcher, providerId, openBrowser });
    if (session?.kind === 'set') this.tokens.set(sender.webContentsId, session.token);
    return result;
  }

  /** The window is gone: its session token is dropped and its reads still running stop. */
  forget(webContentsId: number): void {
    this.tokens.delete(webContentsId);
    this.windows.delete(webContentsId);
    this.lifetimes.get(webContentsId)?.abort();
    this.lifetimes.delete(webContentsId);
  }

  private lifetime(webContentsId: number): AbortSignal {
    let controller = this.lifetimes.get(webContentsId);
    if (!controller) {
      this.lifetimes.set(webContentsId, (controller = new AbortController()));
      // Every read of the window listens to it while it runs: many at once is normal, not a leak.
      setMaxListeners(0, controller.signal);
    }
    return controller.signal;
  }
}
