import type { SessionStage } from '../../shared/contract';
import type { ReadAnswer, ReadRequest } from '../db/read-pool';
import type { AuditDetails, Client } from './context';

/**
 * What the dispatcher core needs from features, handed to it (main/app.ts builds them), so
 * the core imports no feature: who a session is, the two session timeouts, who a person is
 * and where their events belong, and where audit events go.
 */

/** The audit trail, as the dispatcher writes it: inside the command's transaction. */
export interface AuditSink {
  /** Appends one event; answers its `seq` (the position in this database's trail). */
  append(event: AuditEvent): number;
}

export interface AuditEvent extends AuditDetails {
  /** Milliseconds since the epoch. */
  at: number;
  /** `userId` null: Steward's own work, named by `username` ("System (job runner)"). */
  actor: { userId: string | null; username: string } | null;
  client: Client;
  action: string;
  outcome: 'success' | 'denied';
  errorCode?: string;
}

export interface SessionRecord {
  id: string;
  user_id: string;
  stage: SessionStage;
  /** Milliseconds since the epoch. */
  created_at: number;
  last_seen_at: number;
}

/** The transports' sessions: the one piece of state a call changes before (and without) any command. */
export interface SessionDirectory {
  find(token: string): SessionRecord | undefined;
  touch(id: string, now: number): void;
  delete(id: string): void;
}

export interface SessionPolicy {
  /** Minutes without activity after which a session locks. */
  idleMinutes(): number;
  /** Hours after which a session ends whatever it does. */
  absoluteHours(): number;
}

/** The people and groups the core must name: whether an actor may act, and where an event belongs. */
export interface PeopleDirectory {
  /** The person's sign-in name when they exist and are active; undefined otherwise. */
  activeUsername(userId: string): string | undefined;
  /** The group a person belongs to, for placing an event about them. */
  homeGroup(userId: string): string | undefined;
  /** The root of the tree (the provider), for events that name nobody. */
  rootGroup(): string | undefined;
}

/**
 * Ids this data folder already uses, for objects that exist or once did. A re-validated
 * command keeps the ids its installation drew (docs/sync.md, "Push"); one of these is refused.
 */
export interface KnownIds {
  known(id: string): boolean;
}

/**
 * Where the reads of handlers marked `readPool` run: the read pool (main/db/read-pool.ts), off
 * the main thread. Absent, they run on the main thread like every other call.
 */
export interface OffThreadReads {
  /** Never rejects; an aborted `signal` answers CANCELLED. */
  read(request: ReadRequest, signal?: AbortSignal): Promise<ReadAnswer>;
}
