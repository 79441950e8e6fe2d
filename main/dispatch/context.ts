import type { SessionStage } from '../../shared/contract';
import type { Db } from '../db/connection';
import type { SecretBox } from '../security/secret-box';

export type Client = 'desktop' | 'web' | 'cli';

/** Time and randomness come from here so that a command can be replayed exactly. */
export interface Clock {
  now(): number;
}

export interface Entropy {
  bytes(count: number): Buffer;
  id(): string;
}

export interface Actor {
  userId: string;
  username: string;
  /** '' when the command runs without a session: a system actor, or a command re-run from its envelope. */
  sessionId: string;
  stage: SessionStage;
  /** Set for Steward's own work (a job's chunks, retention): names the work in the audit trail. */
  system?: string;
}

/** What the audit event of a command says beyond who, when and the operation's name. */
export interface AuditDetails {
  action?: string;
  target?: { type: string; id: string; name: string };
  groupId?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export type SessionChange = { kind: 'set'; token: string } | { kind: 'clear' };

export interface Services {
  db: Db;
  clock: Clock;
  entropy: Entropy;
  secrets: SecretBox;
}

export interface QueryContext extends Services {
  actor: Actor | null;
  client: Client;
  /** Where the call came from (`ip:<address>`, `ipc`, `local`), for throttling by source. */
  source: string;
  /** The web console's origin when the call came over HTTP; null otherwise. */
  origin: string | null;
}

export interface CommandContext extends QueryContext {
  /** Describe the audit event the dispatcher writes with this command. */
  audit(details: AuditDetails): void;
  /** Ask the transport to hold a new session token, or to forget the current one. */
  setSession(change: SessionChange): void;
}
