import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** 1: written before schema 15, hashed over its sequence number; 2: hashed over its origin and its place in the origin's chain. */
export type HashFormat = 1 | 2;
export const CURRENT_HASH_FORMAT: HashFormat = 2;

/** An event as it travels between installations: what its hash covers, its link and its hash. Everything but the local `seq`. */
export interface ChainedEvent {
  /** The installation that made the event (main/sync/installation.ts). */
  origin: string;
  /** Its place in that installation's chain: 1, 2, 3… without gaps. */
  origin_seq: number;
  hash_format: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  client: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  group_id: string | null;
  before: string | null;
  after: string | null;
  outcome: string;
  error_code: string | null;
  /** The hash of the previous event of the same origin, or GENESIS_HASH, or that origin's prune anchor. */
  prev_hash: string;
  hash: string;
}

/** A row of audit_events: `seq` is the order in which the event reached this database. */
export interface StoredRow extends ChainedEvent {
  seq: number;
}

/**
 * The hash of an event, in the format it claims, or null for a format this version does not
 * know. Format 2 covers the format, origin and origin_seq and every field; format 1 is the
 * formula of schemas before 15 (where origin_seq was the sequence number), kept so events
 * written then still verify without being re-hashed.
 */
export function hashRow(row: Omit<ChainedEvent, 'hash'>): string | null {
  const fields = [
    row.at,
    row.actor_id,
    row.actor_name,
    row.client,
    row.action,
    row.target_type,
    row.target_id,
    row.target_name,
    row.group_id,
    row.before,
    row.after,
    row.outcome,
    row.error_code,
    row.prev_hash,
  ];
  const canonical =
    row.hash_format === 2
      ? JSON.stringify([2, row.origin, row.origin_seq, ...fields])
      : row.hash_format === 1
        ? JSON.stringify([row.origin_seq, ...fields])
        : null;
  return canonical === null ? null : createHash('sha256').update(canonical).digest('hex');
}

/** Where one origin's chain ends in this database: its newest event, else its prune anchor, else the genesis. */
export interface ChainEnd {
  originSeq: number;
  hash: string;
}
