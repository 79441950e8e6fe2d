import { stmt } from '../../db/statements';
import type { SessionStage } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import type { Client } from '../../dispatch/context';
import { digest } from '../../security/tokens';

export interface SessionRow {
  id: string;
  user_id: string;
  stage: SessionStage;
  client: Client;
  created_at: number;
  last_seen_at: number;
  pending_totp_secret: Buffer | null;
}

/** Session tokens are 128 random bits; only their digest is stored. */
export class SessionStore {
  constructor(private readonly db: Db) {}

  create(token: string, userId: string, stage: SessionStage, client: Client, now: number): void {
    stmt(this.db, 'INSERT INTO sessions (id, user_id, stage, client, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      digest(token),
      userId,
      stage,
      client,
      now,
      now,
    );
  }

  find(token: string): SessionRow | undefined {
    return stmt<[string], SessionRow>(this.db, 'SELECT * FROM sessions WHERE id = ?').get(digest(token));
  }

  get(id: string): SessionRow | undefined {
    return stmt<[string], SessionRow>(this.db, 'SELECT * FROM sessions WHERE id = ?').get(id);
  }

  touch(id: string, now: number): void {
    stmt(this.db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(now, id);
  }

  /** Moves a session to a new stage under a new token, so a token seen before sign-in completes is worthless after. */
  promote(id: string, newToken: string, stage: SessionStage, now: number): void {
    stmt(this.db, 'UPDATE sessions SET id = ?, stage = ?, last_seen_at = ?, pending_totp_secret = NULL WHERE id = ?').run(
      digest(newToken),
      stage,
      now,
      id,
    );
  }

  setPendingSecret(id: string, sealed: Buffer | null): void {
    stmt(this.db, 'UPDATE sessions SET pending_totp_secret = ? WHERE id = ?').run(sealed, id);
  }

  delete(id: string): void {
    stmt(this.db, 'DELETE FROM sessions WHERE id = ?').run(id);
  }

  deleteAllOf(userId: string): number {
    return stmt(this.db, 'DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  deleteOthers(userId: string, keepId: string): number {
    return stmt(this.db, 'DELETE FROM sessions WHERE user_id = ? AND id <> ?').run(userId, keepId).changes;
  }
}
