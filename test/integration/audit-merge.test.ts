import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainState } from '../../shared/contract';
import type { ApiError } from '../../shared/result';
import { MIGRATIONS } from '../../main/db/migrations';
import { OpError } from '../../main/dispatch/errors';
import { SessionStore } from '../../main/features/auth/sessions';
import { foreignEvent } from '../../main/features/audit/adopt';
import { AuditLog, GENESIS_HASH, type ChainedEvent } from '../../main/features/audit/audit-log';
import { installationId } from '../../main/sync/installation';
import { manualClock, tempDir, tempSteward } from '../helpers/temp-steward';
import { World } from '../helpers/world';

/** Issue 12: events made on another installation join this one's audit trail without breaking audit.verify. */
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const DAY = 86_400_000;

function world(clock = manualClock()): World {
  const w = new World(tempSteward({ clock }), clock);
  cleanups.push(() => w.cleanup());
  return w;
}

/** `count` commands through the dispatcher, each audited; every third is refused (a denied event is chained too). */
async function commands(w: World, count: number, label: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) await w.call(w.ownerId, 'groups.remove', { id: w.rootId });
    else await w.ok(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: `${label} ${i}` });
  }
}

/** What a replica would push: its audit_events rows in the order they were written, without the local seq. */
function eventsOf(w: World): ChainedEvent[] {
  const columns = Object.keys(foreignEvent.shape).join(', ');
  return w.steward.db.prepare(`SELECT ${columns} FROM audit_events ORDER BY seq`).all() as ChainedEvent[];
}

/** Adopts as the hub's command will: inside one write transaction. */
function adopt(w: World, events: readonly unknown[]) {
  const db = w.steward.db;
  return db.transaction(() => new AuditLog(db).adopt(events)).immediate();
}

/**
 * The refusal of adopting `events`, caught inside a transaction that then commits: a caller
 * that goes on after a refused batch must find nothing of it written.
 */
function refusalOf(w: World, events: readonly unknown[]): ApiError {
  const db = w.steward.db;
  const refusal = db
    .transaction(() => {
      try {
        new AuditLog(db).adopt(events);
      } catch (e) {
        if (e instanceof OpError) return e.toApiError();
        throw e;
      }
      return null;
    })
    .immediate();
  if (!refusal) throw new Error('expected a refusal');
  return refusal;
}

const stored = (w: World) => w.steward.db.prepare('SELECT * FROM audit_events ORDER BY seq').all();
const verify = (w: World) => w.ok<ChainState>(w.ownerId, 'audit.verify', {});

/** Opens the data folder's database bypassing Steward, as someone editing the file would. */
function raw(w: World): Database.Database {
  const db = new Database(join(w.steward.dataDir, 'steward.db'));
  cleanups.unshift(() => db.close());
  return db;
}

describe('an audit chain that merges', () => {
  it('events adopted from another installation keep their origin and chain, take the next sequence numbers, and the whole trail verifies', async () => {
    const a = world();
    const b = world();
    await commands(a, 4, 'A');
    await commands(b, 5, 'B');
    const fromB = eventsOf(b);
    expect(adopt(a, fromB)).toEqual({ adopted: 5, skipped: 0 });

    const held = a.steward.db.prepare('SELECT seq, origin, origin_seq FROM audit_events ORDER BY seq').all();
    const originA = installationId(a.steward.db);
    const originB = installationId(b.steward.db);
    expect(originA).not.toBe(originB);
    expect(held).toEqual([
      ...[1, 2, 3, 4].map((n) => ({ seq: n, origin: originA, origin_seq: n })),
      ...[1, 2, 3, 4, 5].map((n) => ({ seq: 4 + n, origin: originB, origin_seq: n })),
    ]);
    expect(await verify(a)).toEqual({ intact: true, checked: 9, broken: null, prunedThrough: null });

    // Both installations go on: A's next events chain after its own, B's next push adds only what is new.
    await commands(a, 2, 'A later');
    await commands(b, 3, 'B later');
    expect(adopt(a, eventsOf(b))).toEqual({ adopted: 3, skipped: 5 });
    expect(await verify(a)).toMatchObject({ intact: true, checked: 14, broken: null });
    expect(await verify(b)).toMatchObject({ intact: true, checked: 8, broken: null });
  });

  it('adopting the same batch twice changes nothing', async () => {
    const a = world();
    const b = world();
    await commands(a, 2, 'A');
    await commands(b, 4, 'B');
    adopt(a, eventsOf(b));
    const before = stored(a);
    expect(adopt(a, eventsOf(b))).toEqual({ adopted: 0, skipped: 4 });
    expect(stored(a)).toEqual(before);
    expect(await verify(a)).toMatchObject({ intact: true, checked: 6 });
  });

  it('refuses a batch with a gap, a repeat, events out of order, a changed field or a broken link, naming the origin and its number, and writes nothing', async () => {
    const a = world();
    const b = world();
    await commands(a, 2, 'A');
    await commands(b, 5, 'B');
    const originB = installationId(b.steward.db);
    const good = eventsOf(b);
    const [e1, e2, e3, e4, e5] = good as [ChainedEvent, ChainedEvent, ChainedEvent, ChainedEvent, ChainedEvent];
    // A forger who edits an event and recomputes its hash still breaks the next event's link.
    const forged = { ...e2, after: '{"name":"forged"}' };
    const rehashed = { ...forged, hash: hashV2(forged) };
    const cases: Array<[string, unknown[], RegExp]> = [
      ['gap', [e1, e2, e4, e5], /^Audit event #4 of installation (\S+) \(events\.2\) leaves a gap: #3 of that installation are missing/],
      ['repeat', [e1, e2, e2, e3], /^Audit event #2 of installation (\S+) \(events\.2\) comes twice, or out of order/],
      ['out of order', [e1, e3, e2, e4], /^Audit event #3 of installation (\S+) \(events\.1\) leaves a gap/],
      ['changed field', [e1, forged, e3], /^Audit event #2 of installation (\S+) \(events\.1\) does not match its hash/],
      [
        'broken link',
        [e1, rehashed, e3],
        /^Audit event #3 of installation (\S+) \(events\.2\) does not link to the event before it \(#2\)/,
      ],
      ['not the first', [e2, e3], /^Audit event #2 of installation (\S+) \(events\.0\) leaves a gap: #1 of that installation are missing/],
    ];
    const before = stored(a);
    for (const [name, batch, message] of cases) {
      const refusal = refusalOf(a, batch);
      expect(refusal, name).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(message) });
      expect(refusal.message.match(message)?.[1], name).toBe(originB);
      expect(stored(a), name).toEqual(before);
    }
    expect(await verify(a)).toMatchObject({ intact: true, checked: 2 });
    // The good batch is still accepted afterwards: a refusal left no trace that would block it.
    expect(adopt(a, good)).toEqual({ adopted: 5, skipped: 0 });
  });

  it('refuses a malformed event naming its field, events that claim this installation, and a held event that differs; nothing is written', async () => {
    const a = world();
    const b = world();
    await commands(a, 3, 'A');
    await commands(b, 2, 'B');
    adopt(a, eventsOf(b));
    const before = stored(a);
    const [b1, b2] = eventsOf(b) as [ChainedEvent, ChainedEvent];

    expect(refusalOf(a, [{ ...b1, hash: 'not a hash' }])).toMatchObject({ code: 'VALIDATION', field: 'events.0.hash' });
    expect(refusalOf(a, [{ ...b1, seq: 1 }])).toMatchObject({ code: 'VALIDATION', message: /Unknown field: seq/ });
    expect(refusalOf(a, [{ ...b1, after: '[1,2]' }])).toMatchObject({ code: 'VALIDATION', field: 'events.0.after' });

    // A's own chain is written only by A: a fourth event "from A" is refused even when it links and hashes correctly.
    const [, , a3] = eventsOf(a) as [ChainedEvent, ChainedEvent, ChainedEvent];
    const intruder = { ...a3, origin_seq: 4, prev_hash: a3.hash, action: 'groups.create' };
    expect(refusalOf(a, [{ ...intruder, hash: hashV2(intruder) }])).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/#4 of installation \S+ \(events\.0\) claims to be this installation’s/),
    });

    // B's second event, rewritten from scratch with a valid hash of its own, is not the one A holds.
    const rewritten = { ...b2, target_name: 'Rewritten' };
    expect(refusalOf(a, [b1, { ...rewritten, hash: hashV2(rewritten) }])).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/#2 of installation \S+ \(events\.1\) differs from the event this database holds/),
    });
    expect(stored(a)).toEqual(before);
    expect(await verify(a)).toMatchObject({ intact: true, checked: 5 });
  });

  it('verify names an adopted event edited in the file, the event after one removed, and events put out of order', async () => {
    const setUp = async () => {
      const a = world();
      const b = world();
      await commands(a, 3, 'A');
      await commands(b, 4, 'B');
      adopt(a, eventsOf(b));
      await commands(a, 2, 'A later');
      expect(await verify(a)).toMatchObject({ intact: true, checked: 9 });
      return a;
    };
    // A's events are seq 1-3 and 8-9; B's are seq 4-7.
    const edited = await setUp();
    raw(edited).exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET target_name = 'Forged' WHERE seq = 5;");
    expect(await verify(edited)).toMatchObject({
      intact: false,
      broken: { seq: 5, reason: 'its contents were changed after it was written' },
    });

    const removed = await setUp();
    raw(removed).exec('DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 5;');
    expect(await verify(removed)).toMatchObject({ intact: false, broken: { seq: 6, reason: expect.stringMatching(/link/) } });

    const swapped = await setUp();
    raw(swapped).exec(
      'DROP TRIGGER audit_events_no_update; UPDATE audit_events SET seq = -1 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = 6; UPDATE audit_events SET seq = 6 WHERE seq = -1;',
    );
    expect(await verify(swapped)).toMatchObject({ intact: false, broken: { seq: 5, reason: expect.stringMatching(/link/) } });

    // B's last event renumbered, its hash recomputed: links and hashes match, but B's chain would now have a hole.
    const renumbered = await setUp();
    const last = eventsOf(renumbered).filter((e) => e.origin !== installationId(renumbered.steward.db))[3] as ChainedEvent;
    const moved = { ...last, origin_seq: 9 };
    const file = raw(renumbered);
    file.exec('DROP TRIGGER audit_events_no_update');
    file.prepare('UPDATE audit_events SET origin_seq = ?, hash = ? WHERE seq = 7').run(moved.origin_seq, hashV2(moved));
    expect(await verify(renumbered)).toMatchObject({
      intact: false,
      broken: { seq: 7, reason: 'its number in its installation’s chain does not follow the event before it' },
    });
  });

  it('retention prunes each origin by its own events’ age and anchors each, so verify stays intact and later pushes still link', async () => {
    const clock = manualClock();
    const a = world(clock);
    const b = world(clock);
    await commands(b, 3, 'B old');
    clock.advance(40 * DAY);
    // A's recent events reach A's database before B's old ones: pruning by age must not follow the arrival order.
    await commands(a, 2, 'A recent');
    await commands(b, 2, 'B recent');
    adopt(a, eventsOf(b));
    const removed = a.steward.db.transaction(() => new AuditLog(a.steward.db).prune(clock.now() - 30 * DAY, clock.now())).immediate();
    expect(removed).toBe(3);
    const originB = installationId(b.steward.db);
    expect(a.steward.db.prepare('SELECT seq, origin_seq FROM audit_events WHERE origin = ? ORDER BY seq').all(originB)).toEqual([
      { seq: 6, origin_seq: 4 },
      { seq: 7, origin_seq: 5 },
    ]);
    expect(await verify(a)).toEqual({ intact: true, checked: 4, broken: null, prunedThrough: 5 });
    expect(() => a.steward.db.prepare('DELETE FROM audit_events WHERE seq = 1').run()).toThrow(/append-only/);

    // B pushes everything again, pruned events included: they are skipped, the new ones link after the kept ones.
    await commands(b, 2, 'B next');
    expect(adopt(a, eventsOf(b))).toEqual({ adopted: 2, skipped: 5 });
    await commands(a, 1, 'A next');
    expect(await verify(a)).toMatchObject({ intact: true, checked: 7, prunedThrough: 5 });

    // When all of an origin's events are pruned, its next events link to its anchor.
    clock.advance(40 * DAY);
    await commands(a, 1, 'A last');
    a.steward.db.transaction(() => new AuditLog(a.steward.db).prune(clock.now() - 30 * DAY, clock.now())).immediate();
    expect(a.steward.db.prepare('SELECT count(*) AS n FROM audit_events WHERE origin = ?').get(originB)).toEqual({ n: 0 });
    await commands(b, 1, 'B after');
    expect(adopt(a, eventsOf(b))).toEqual({ adopted: 1, skipped: 7 });
    expect(await verify(a)).toMatchObject({ intact: true, checked: 2, broken: null });
  });
});

describe('events written before schema 15', () => {
  /** The hash formula of schemas 1 to 14, written out again here so the test does not trust the code it checks. */
  function legacyHash(row: Record<string, unknown>): string {
    const keys = ['seq', 'at', 'actor_id', 'actor_name', 'client', 'action', 'target_type', 'target_id', 'target_name'];
    const rest = ['group_id', 'before', 'after', 'outcome', 'error_code', 'prev_hash'];
    return createHash('sha256')
      .update(JSON.stringify([...keys, ...rest].map((k) => row[k] ?? null)))
      .digest('hex');
  }

  /** A data folder as Steward left it at schema 14: five chained events, the first two pruned by retention. */
  function schema14Folder(): string {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const old = new Database(join(temp.dir, 'steward.db'));
    for (const m of MIGRATIONS.filter((m) => m.version <= 14)) {
      old.exec(m.sql);
      m.run?.(old, {});
    }
    old.pragma('user_version = 14');
    let prev = GENESIS_HASH;
    const hashes: string[] = [];
    const insert = old.prepare(
      `INSERT INTO audit_events (seq, at, actor_id, actor_name, client, action, target_type, target_id, target_name, group_id, before, after, outcome, error_code, prev_hash, hash)
       VALUES (@seq, @at, @actor_id, @actor_name, @client, @action, @target_type, @target_id, @target_name, @group_id, @before, @after, @outcome, @error_code, @prev_hash, @hash)`,
    );
    for (let seq = 1; seq <= 5; seq++) {
      const row = {
        seq,
        at: 1_700_000_000_000 + seq,
        actor_id: 'u-old',
        actor_name: 'old admin',
        client: 'desktop',
        action: 'groups.create',
        target_type: 'group',
        target_id: `g-old-${seq}`,
        target_name: `Old ${seq}`,
        group_id: 'g-old',
        before: null,
        after: `{"name":"Old ${seq}"}`,
        outcome: 'success',
        error_code: null,
        prev_hash: prev,
      };
      prev = legacyHash(row);
      hashes.push(prev);
      insert.run({ ...row, hash: prev });
    }
    old.prepare('INSERT INTO audit_prunes (through_seq, anchor_hash, at) VALUES (2, ?, 1)').run(hashes[1]);
    old.prepare('DELETE FROM audit_events WHERE seq <= 2').run();
    old.close();
    return temp.dir;
  }

  it('still verify after the upgrade, keep their hashes, and new events chain after them', async () => {
    const dir = schema14Folder();
    const before = new Database(join(dir, 'steward.db'));
    const legacy = before.prepare('SELECT seq, hash FROM audit_events ORDER BY seq').all();
    before.close();

    const clock = manualClock();
    const w = new World(tempSteward({ dir, clock }), clock);
    cleanups.unshift(() => w.steward.close());
    const db = w.steward.db;
    const here = installationId(db);
    expect(db.prepare('SELECT seq, origin, origin_seq, hash_format, hash FROM audit_events ORDER BY seq').all()).toEqual(
      legacy.map((r) => ({
        ...(r as { seq: number; hash: string }),
        origin: here,
        origin_seq: (r as { seq: number }).seq,
        hash_format: 1,
      })),
    );
    expect(await verify(w)).toEqual({ intact: true, checked: 3, broken: null, prunedThrough: 2 });

    await commands(w, 3, 'New');
    expect(await verify(w)).toMatchObject({ intact: true, checked: 6, broken: null });
    expect(db.prepare('SELECT seq, origin_seq, hash_format FROM audit_events WHERE seq > 5 ORDER BY seq').all()).toEqual([
      { seq: 6, origin_seq: 6, hash_format: 2 },
      { seq: 7, origin_seq: 7, hash_format: 2 },
      { seq: 8, origin_seq: 8, hash_format: 2 },
    ]);

    // An edit to a legacy event made after the upgrade still shows: its hash was not recomputed.
    raw(w).exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET target_name = 'Forged' WHERE seq = 4;");
    expect(await verify(w)).toMatchObject({ intact: false, broken: { seq: 4, reason: 'its contents were changed after it was written' } });
  });

  it('migration 15 run again on a rewound database changes no event and no anchor', async () => {
    const clock = manualClock();
    const temp = tempDir();
    cleanups.push(temp.remove);
    const a = new World(tempSteward({ dir: temp.dir, clock }), clock);
    cleanups.unshift(() => a.steward.close());
    const b = world(clock);
    await commands(a, 3, 'A');
    await commands(b, 3, 'B');
    adopt(a, eventsOf(b));
    clock.advance(40 * DAY);
    await commands(a, 1, 'A recent');
    a.steward.db.transaction(() => new AuditLog(a.steward.db).prune(clock.now() - 30 * DAY, clock.now())).immediate();
    const events = stored(a);
    const anchors = a.steward.db.prepare('SELECT * FROM audit_prunes ORDER BY through_seq').all();
    a.steward.db.pragma('user_version = 14');
    a.steward.close();

    const again = tempSteward({ dir: temp.dir, clock });
    cleanups.unshift(() => again.close());
    expect(again.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(15);
    expect(again.db.prepare('SELECT * FROM audit_events ORDER BY seq').all()).toEqual(events);
    expect(again.db.prepare('SELECT * FROM audit_prunes ORDER BY through_seq').all()).toEqual(anchors);
    const token = 'rewound-owner-session';
    new SessionStore(again.db).create(token, a.ownerId, 'active', 'cli', clock.now());
    expect((await again.call('audit.verify', {}, token)).result).toMatchObject({
      ok: true,
      value: { intact: true, checked: 1, broken: null, prunedThrough: 6 },
    });
  });
});

/** The current (format 2) hash, written out here as a forger would compute it. */
function hashV2(e: ChainedEvent | Omit<ChainedEvent, 'hash'>): string {
  const fields = [
    e.at,
    e.actor_id,
    e.actor_name,
    e.client,
    e.action,
    e.target_type,
    e.target_id,
    e.target_name,
    e.group_id,
    e.before,
    e.after,
    e.outcome,
    e.error_code,
    e.prev_hash,
  ];
  return createHash('sha256')
    .update(JSON.stringify([2, e.origin, e.origin_seq, ...fields]))
    .digest('hex');
}
