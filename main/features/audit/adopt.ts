import { z } from 'zod';
import { OpError } from '../../dispatch/errors';
import { validationError } from '../../dispatch/validation';
import { hashRow, type ChainEnd } from './chain';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'Expected 64 lowercase hex digits');
// Bounded like the events Steward writes itself: a hostile push cannot grow the trail by megabytes per event.
const text = z.string().max(1000).nullable();
// Stored as JSON text; the audit view parses it, so an event that is not an object would break the view.
const jsonObject = z
  .string()
  .max(64_000)
  .refine((s) => {
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  }, 'Expected a JSON object')
  .nullable();

/** An event made elsewhere, as another database's audit_events row without its `seq`. */
export const foreignEvent = z
  .object({
    origin: z.string().min(1).max(100),
    origin_seq: z.number().int().min(1),
    // Format 1 (before migration 15) does not cover the origin: only this installation's own old events have it.
    hash_format: z.literal(2, 'Events from another installation carry hash format 2'),
    at: z.number().int().min(0),
    actor_id: text,
    actor_name: text,
    client: z.enum(['desktop', 'web', 'cli']),
    action: z.string().min(1).max(200),
    target_type: text,
    target_id: text,
    target_name: text,
    group_id: text,
    before: jsonObject,
    after: jsonObject,
    outcome: z.enum(['success', 'denied']),
    error_code: text,
    prev_hash: hash,
    hash,
  })
  .strict();

export type ForeignEvent = z.infer<typeof foreignEvent>;

export interface Adoption {
  /** Events appended, with the next global sequence numbers. */
  adopted: number;
  /** Events this database already held (or had held and pruned). */
  skipped: number;
}

/** What planning needs to read from the database. */
export interface HeldChains {
  /** This installation's id: its chain is written only here. */
  here: string;
  /** Where an origin's chain ends in this database. */
  end(origin: string): ChainEnd;
  /** Where an origin's prune anchor is, if retention removed any of its events. */
  anchor(origin: string): ChainEnd | null;
  /** The hash of the event held at (origin, originSeq), or null. */
  held(origin: string, originSeq: number): string | null;
}

/**
 * Checks a batch of foreign events against the chains held and returns the events to append,
 * in the order given. Reads only: every refusal happens before anything is written.
 * The rules and errors are those of AuditLog.adopt.
 */
export function planAdoption(events: readonly unknown[], chains: HeldChains): { append: ForeignEvent[]; skipped: number } {
  const parsed = z.array(foreignEvent).max(100_000).safeParse(events);
  if (!parsed.success) {
    const error = validationError(parsed.error);
    throw new OpError('VALIDATION', `events.${error.message}`, error.field ? { field: `events.${error.field}` } : {});
  }
  const ends = new Map<string, ChainEnd>();
  const append: ForeignEvent[] = [];
  let skipped = 0;
  parsed.data.forEach((event, i) => {
    const { origin, origin_seq: n } = event;
    const refuse = (why: string) =>
      new OpError('CONFLICT', `Audit event #${n} of installation ${origin} (events.${i}) ${why}; nothing was adopted`, {
        field: `events.${i}`,
      });
    const { hash: claimed, ...chained } = event;
    if (hashRow(chained) !== claimed) throw refuse('does not match its hash: its contents were changed');
    const held = chains.held(origin, n);
    if (held !== null) {
      if (held !== claimed) throw refuse('differs from the event this database holds at that place');
      skipped++;
      return;
    }
    const anchor = chains.anchor(origin);
    if (anchor && n <= anchor.originSeq) {
      // Held once and removed by retention since: nothing to add, but the anchor itself can still be compared.
      if (n === anchor.originSeq && anchor.hash !== claimed) throw refuse('differs from the event this database held at that place');
      skipped++;
      return;
    }
    if (origin === chains.here) throw refuse('claims to be this installation’s, whose events are written only here');
    const end = ends.get(origin) ?? chains.end(origin);
    if (n <= end.originSeq) throw refuse('comes twice, or out of order, in this batch');
    if (n > end.originSeq + 1)
      throw refuse(`leaves a gap: #${end.originSeq + 1}${n - 1 > end.originSeq + 1 ? `–#${n - 1}` : ''} of that installation are missing`);
    if (event.prev_hash !== end.hash) throw refuse(`does not link to the event before it (#${end.originSeq})`);
    ends.set(origin, { originSeq: n, hash: claimed });
    append.push(event);
  });
  return { append, skipped };
}
