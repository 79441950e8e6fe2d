import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../main/db/connection';
import type { Actor, CommandContext } from '../../main/dispatch/context';
import type { RegisteredHandler } from '../../main/dispatch/registry';
import type { OperationName } from '../../shared/contract';
import { setUpOwner, tempDir, tempSteward, type TestSteward } from '../helpers/temp-steward';

/**
 * Issue 12: the hub runs the same handlers against its own database and a replica replays
 * commands against a copy, so a handler must act on `ctx.db` and nothing else. Here the
 * registry is built by openSteward over database A, and its handlers are run with a
 * context whose database is B, a copy of A: a handler that captured A when it was built
 * would write to A (or read A's rows) and these tests fail. The dispatcher is bypassed on
 * purpose: what is checked is the handlers, not how the dispatcher picks its database.
 * The lint rule steward/handlers-use-ctx-db checks every handler statically.
 */
describe('handlers act on the database in their context', () => {
  let a: TestSteward;
  let b: Db;
  let folder: ReturnType<typeof tempDir>;
  afterEach(() => {
    b.close();
    a.cleanup();
    folder.remove();
  });

  async function twoDatabases() {
    a = tempSteward();
    await setUpOwner(a);
    folder = tempDir();
    const copy = join(folder.dir, 'copy.db');
    a.db.prepare('VACUUM INTO ?').run(copy);
    b = openDatabase(copy, { secrets: a.secrets });
    const owner = a.db.prepare("SELECT id, username FROM users WHERE username = 'owner'").get() as { id: string; username: string };
    const root = a.db.prepare("SELECT id FROM groups WHERE kind = 'provider'").get() as { id: string };
    const actor: Actor = { userId: owner.id, username: owner.username, sessionId: 'not used', stage: 'active' };
    let drawn = 0;
    const ctx: CommandContext & { actor: Actor } = {
      db: b,
      clock: { now: () => Date.UTC(2030, 0, 1) },
      entropy: { bytes: (n) => Buffer.alloc(n, 7), id: () => `drawn-in-b-${++drawn}` },
      secrets: a.secrets,
      actor,
      client: 'cli',
      source: 'local',
      origin: null,
      audit: () => undefined,
      setSession: () => undefined,
    };
    return { ctx, root: root.id };
  }

  function registered(name: OperationName): RegisteredHandler {
    const found = a.registry.get(name);
    if (!found) throw new Error(`${name} is not registered`);
    return found;
  }

  const groupNames = (db: Db) => (db.prepare('SELECT name FROM groups ORDER BY name').all() as Array<{ name: string }>).map((g) => g.name);

  it('a command writes to the context database, never to the one the registry was built over', async () => {
    const { ctx, root } = await twoDatabases();
    const before = groupNames(a.db);
    b.transaction(() => registered('groups.create').run(ctx, { parentId: root, kind: 'customer', name: 'Written to B' }, undefined))();
    expect(groupNames(b)).toContain('Written to B');
    expect(groupNames(a.db)).toEqual(before);
  });

  it('a query reads the context database', async () => {
    const { ctx, root } = await twoDatabases();
    b.prepare(
      "INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('only-b', ?, 'customer', 'Only in B', 0, 0)",
    ).run(root);
    b.prepare(
      "INSERT INTO group_closure (ancestor, descendant, depth) SELECT ancestor, 'only-b', depth + 1 FROM group_closure WHERE descendant = ?",
    ).run(root);
    b.prepare("INSERT INTO group_closure (ancestor, descendant, depth) VALUES ('only-b', 'only-b', 0)").run();
    const tree = registered('groups.tree').run(ctx, {}, undefined) as { groups: Array<{ name: string }> };
    expect(tree.groups.map((g) => g.name)).toContain('Only in B');
    expect(groupNames(a.db)).not.toContain('Only in B');
  });

  it("an access rule that looks something up reads the database it is given (groups.move: the moved group's kind)", async () => {
    const { ctx, root } = await twoDatabases();
    b.transaction(() => {
      registered('groups.create').run(ctx, { parentId: root, kind: 'customer', name: 'Customer in B' }, undefined);
      registered('groups.create').run(ctx, { parentId: 'drawn-in-b-1', kind: 'location', name: 'Location in B' }, undefined);
    })();
    const rule = registered('groups.move').access;
    if (rule.kind !== 'scoped') throw new Error('groups.move has a scoped rule');
    const input = { id: 'drawn-in-b-2', parentId: 'drawn-in-b-1' };
    const keyAtParent = (db: Db) => rule.needs(input, ctx.actor, db).map((need) => ('on' in need ? need.permission : null))[1];
    // The new parent needs the key that manages the moved group's kind: a location in B; A has no such group.
    expect(keyAtParent(b)).toBe('locations.manage');
    expect(keyAtParent(a.db)).toBe('groups.manage');
  });
});
