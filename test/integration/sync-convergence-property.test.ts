import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROCESS_FINGERPRINT, InProcessLink } from '../../bench/in-process-link';
import { SyncHub } from '../../main/sync/hub';
import { systemClock, systemEntropy } from '../../main/app';
import { northAndSouth, giveCredentials, type Credentials } from '../helpers/hub';
import { codeFor, tempDir, tempSteward, tokenOf, type TestSteward } from '../helpers/temp-steward';
import { rowsOf } from '../helpers/visible-rows';
import { ROLE, World } from '../helpers/world';

/**
 * Convergence (issue 13): random interleavings of commands on the hub and on two replicas,
 * with random disconnects, end with each replica holding exactly the hub's rows its person
 * may see, and the hub holding what applying its accepted commands in its order gives.
 *
 * The replicas reach the hub in-process (a HubLink calling SyncHub directly) instead of over
 * HTTPS: hundreds of runs of three data folders would take minutes over real processes, and
 * HTTPS itself is covered by sync-hub.test.ts and sync-offline.test.ts. Everything else is real:
 * three data folders on disk, the dispatcher, the hub's re-validation and the replicas' rebase.
 */
let scratch: ReturnType<typeof tempDir>;
beforeAll(() => {
  scratch = tempDir('steward-convergence-');
});
afterAll(() => scratch.remove());

interface Side {
  steward: TestSteward;
  wire: InProcessLink;
  token: string;
  person: Credentials & { id: string };
}

type Action =
  | { kind: 'create'; who: 'A' | 'B' | 'H'; south: boolean; name: number }
  | { kind: 'rename'; who: 'A' | 'B' | 'H'; pick: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'south'; grant: boolean }
  | { kind: 'link'; who: 'A' | 'B'; up: boolean }
  | { kind: 'sync'; who: 'A' | 'B' };

const who = fc.constantFrom<'A' | 'B' | 'H'>('A', 'B', 'H');
const action: fc.Arbitrary<Action> = fc.oneof(
  // Few names, so that two sides often create the same name under one parent and one of them is refused.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), who, south: fc.boolean(), name: fc.nat(6) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('rename' as const), who, pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('south' as const), grant: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('link' as const), who: fc.constantFrom<'A' | 'B'>('A', 'B'), up: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), who: fc.constantFrom<'A' | 'B'>('A', 'B') }) },
);

async function sync(side: Side): Promise<void> {
  side.wire.gate = true;
  try {
    await side.steward.replica.syncNow();
  } finally {
    side.wire.gate = false;
  }
}

async function run(actions: Action[]): Promise<void> {
  const hubFolder = tempDir('steward-hub-');
  const w = new World(tempSteward({ dir: hubFolder.dir, background: false }));
  const { north, south, alice: aId, bob: bId } = northAndSouth(w);
  const hub = new SyncHub({
    db: w.steward.db,
    dispatcher: w.steward.dispatcher,
    secrets: w.steward.secrets,
    clock: systemClock,
    entropy: systemEntropy,
  });
  const sides: Record<'A' | 'B', Side> = {} as Record<'A' | 'B', Side>;
  const folders = [hubFolder];
  try {
    for (const [name, id] of [
      ['A', aId],
      ['B', bId],
    ] as const) {
      const folder = tempDir('steward-replica-');
      folders.push(folder);
      const wire = new InProcessLink(hub);
      wire.gate = false;
      const steward = tempSteward({ dir: folder.dir, background: false, syncLink: wire });
      const person = { ...(await giveCredentials(w.steward, id)), id };
      wire.gate = true;
      const connected = await steward.call('sync.connect', {
        url: 'https://hub.test/',
        fingerprint: IN_PROCESS_FINGERPRINT,
        username: person.username,
        password: person.password,
        code: await codeFor(person.secret, Date.now()),
      });
      wire.gate = false;
      sides[name] = { steward, wire, token: tokenOf(connected), person };
    }
    const made: string[] = [];
    let southGranted = true;
    for (const step of actions) {
      if (step.kind === 'link') sides[step.who].wire.up = step.up;
      else if (step.kind === 'sync') await sync(sides[step.who]);
      else if (step.kind === 'south') {
        if (step.grant === southGranted) continue;
        const version = (w.steward.db.prepare('SELECT version FROM users WHERE id = ?').get(aId) as { version: number }).version;
        const bindings = step.grant
          ? [
              { roleId: ROLE.admin, groupId: north },
              { roleId: ROLE.admin, groupId: south },
            ]
          : [{ roleId: ROLE.admin, groupId: north }];
        await w.ok(w.ownerId, 'users.setRoles', { userId: aId, baseVersion: version, bindings });
        southGranted = step.grant;
      } else if (step.kind === 'remove') {
        const id = made[step.pick % Math.max(made.length, 1)];
        if (id) await w.call(w.ownerId, 'groups.remove', { id });
      } else {
        const side = step.who === 'H' ? null : sides[step.who];
        const call = (name: string, input: unknown) => (side ? side.steward.call(name, input, side.token) : w.call(w.ownerId, name, input));
        if (step.kind === 'create') {
          const out = await call('groups.create', { parentId: step.south ? south : north, kind: 'location', name: `Site ${step.name}` });
          const result = 'result' in out ? out.result : out;
          if (result.ok) made.push((result.value as { id: string }).id);
        } else {
          const id = made[step.pick % Math.max(made.length, 1)];
          const db = side ? side.steward.db : w.steward.db;
          const row = id
            ? (db.prepare('SELECT version, name FROM groups WHERE id = ?').get(id) as { version: number; name: string } | undefined)
            : undefined;
          if (id && row) await call('groups.update', { id, baseVersion: row.version, name: `${row.name}+` });
        }
      }
    }
    // Everyone reconnects and syncs until nothing moves.
    for (const side of Object.values(sides)) side.wire.up = true;
    for (let round = 0; round < 3; round++) for (const side of Object.values(sides)) await sync(side);

    for (const side of Object.values(sides)) {
      const status = side.steward.replica.status();
      expect(status.pending).toBe(0);
      // Only the first pull starts from nothing: every later one applied as it came (a failed apply is repaired by a reset, and would hide a wrong rebase).
      expect(side.wire.resets, `${side.person.username}'s resets`).toBe(1);
      const want = rowsOf(hubFolder.dir, scratch.dir, side.person.id);
      const have = rowsOf(side.steward.dataDir, scratch.dir);
      for (const table of Object.keys(want)) expect(have[table], `${side.person.username}: ${table}`).toEqual(want[table]);
    }
    // The hub's state is its accepted commands applied in its order: replay the group names they set.
    const names = new Map<string, string>();
    const log = w.steward.db
      .prepare(
        "SELECT operation, envelope FROM command_log WHERE refusal IS NULL AND operation IN ('groups.create','groups.update','groups.remove') ORDER BY audit_seq",
      )
      .all() as Array<{ operation: string; envelope: string }>;
    for (const entry of log) {
      const e = JSON.parse(entry.envelope) as { input: { id?: string; name?: string }; draws: { ids: string[] } };
      if (entry.operation === 'groups.create') names.set(e.draws.ids[0] ?? '', e.input.name ?? '');
      else if (entry.operation === 'groups.update' && e.input.id && e.input.name && names.has(e.input.id))
        names.set(e.input.id, e.input.name);
      else if (entry.operation === 'groups.remove' && e.input.id) names.delete(e.input.id);
    }
    const stored = w.steward.db.prepare("SELECT id, name FROM groups WHERE kind = 'location' ORDER BY id").all() as Array<{
      id: string;
      name: string;
    }>;
    expect(stored).toEqual([...names.entries()].map(([id, name]) => ({ id, name })).sort((x, y) => (x.id < y.id ? -1 : 1)));
    // Exactly once: no origin holds a sequence twice (UNIQUE), and every replica command was answered.
    for (const side of Object.values(sides)) {
      const held = w.steward.db.prepare('SELECT count(*) AS n FROM command_log WHERE origin = ?').get(side.steward.installationId) as {
        n: number;
      };
      const pushed = side.steward.db
        .prepare(
          "SELECT count(*) AS n FROM command_log WHERE origin = ? AND refusal IS NULL AND operation NOT LIKE 'sync.%' AND operation NOT LIKE 'auth.%' AND actor_id IS NOT NULL",
        )
        .get(side.steward.installationId) as { n: number };
      expect(held.n).toBe(pushed.n);
    }
  } finally {
    for (const side of Object.values(sides)) side.steward.close();
    w.steward.close();
    for (const f of folders) f.remove();
  }
}

describe('sync convergence', () => {
  it('random interleavings with random disconnects converge to the hub’s accepted commands in hub order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), (actions) => run(actions)),
      {
        numRuns: 8,
        // Cases random runs reach only now and then, always checked: a command made offline that
        // the hub refuses (its rights went meanwhile) must roll back on the replica; two editors' renames race.
        examples: [
          [
            [
              { kind: 'link', who: 'A', up: false },
              { kind: 'south', grant: false },
              { kind: 'create', who: 'A', south: true, name: 1 },
              { kind: 'create', who: 'A', south: false, name: 2 },
              { kind: 'create', who: 'H', south: false, name: 2 },
              { kind: 'link', who: 'A', up: true },
              { kind: 'sync', who: 'A' },
            ],
          ],
          [
            [
              { kind: 'create', who: 'H', south: false, name: 0 },
              { kind: 'sync', who: 'A' },
              { kind: 'sync', who: 'B' },
              { kind: 'rename', who: 'A', pick: 0 },
              { kind: 'rename', who: 'B', pick: 0 },
              { kind: 'sync', who: 'B' },
              { kind: 'sync', who: 'A' },
            ],
          ],
        ],
      },
    );
  }, 240_000);
});
