import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryView, GroupDetail, GroupSummary } from '../../shared/contract';
import { contract } from '../../shared/contract';
import { runMigrations } from '../../main/db/migrations';
import { namesInputField } from '../../shared/contract/input-fields';
import { startGraph, type GraphStandIn } from '../helpers/directory-apis';
import { directoryCompany } from '../helpers/directory-company';

/**
 * Issue 14, R29: what a directory sync owns while it is on. Its synced departments cannot be
 * renamed, given another kind, moved or removed by hand, and nobody is added to or taken out
 * of them by hand, on every path that could: groups.update, groups.move, groups.remove,
 * users.setDepartments, and (migration 31's triggers) any other writer. No bulk operation
 * writes a group's name, kind or place or a department membership (devices.bulkAssign moves
 * devices to people, the team's bulk action is users.setStatus), so these are all the paths;
 * the triggers hold a future one to the rule too. After each refusal the stored state is read
 * again. The departments are synced from a local stand-in for Microsoft Graph on loopback.
 */
const TENANT = 'contoso.onmicrosoft.test';
const SECRET = 'graph secret for the owned-departments test';

describe('what the directory sync owns while it is on (R29)', () => {
  let graph: GraphStandIn;
  const c = directoryCompany(4);
  const db = c.w.steward.db;
  let finance: string;
  let sales: string;
  let board: string;
  let berlin: string;

  const groupRow = (id: string) => db.prepare('SELECT name, kind, parent_id, version FROM groups WHERE id = ?').get(id);
  const closure = (id: string) => db.prepare('SELECT ancestor, depth FROM group_closure WHERE descendant = ? ORDER BY depth').all(id);
  const departmentsOf = (userId: string) =>
    (
      db.prepare('SELECT group_id FROM user_departments WHERE user_id = ? ORDER BY group_id').all(userId) as Array<{ group_id: string }>
    ).map((r) => r.group_id);
  const idOf = (name: string) => (db.prepare('SELECT id FROM groups WHERE name = ?').get(name) as { id: string }).id;
  const person = (i: number) => c.ids[i] ?? '';
  const refusedNaming = (field: string) =>
    expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'CONFLICT', field }) }) as unknown;

  async function setSync(enabled: boolean): Promise<void> {
    const view = await c.view();
    await c.w.ok<DirectoryView>(c.w.ownerId, 'directory.configure', {
      companyId: c.company,
      baseVersion: view.version,
      settings: { connector: 'graph', tenantId: TENANT, clientId: 'steward', loginUrl: graph.url, graphUrl: graph.url },
      ...(view.version === 0 ? { secret: SECRET } : {}),
      enabled,
    });
  }

  beforeAll(async () => {
    graph = await startGraph({
      tenantId: TENANT,
      clientId: 'steward',
      clientSecret: SECRET,
      pageSize: 100,
      users: [0, 1, 2, 3].map((i) => ({
        id: `u${i}`,
        mail: `person${i}@contoso.test`,
        userPrincipalName: `person${i}@contoso.test`,
        department: i < 2 ? 'Finance' : 'Sales',
      })),
    });
    berlin = c.w.group(c.company, 'location', 'Berlin');
    board = c.w.group(c.company, 'department', 'Board');
    await setSync(true);
    await c.w.ok(c.w.ownerId, 'directory.syncNow', { companyId: c.company });
    finance = idOf('Finance');
    sales = idOf('Sales');
  });
  afterAll(async () => {
    await graph?.close();
    c.w.cleanup();
  });

  it('marks synced departments in the tree and on the group page, and offers no rename, move or remove there', async () => {
    const { groups } = await c.w.ok<{ groups: GroupSummary[] }>(c.w.ownerId, 'groups.tree', {});
    const source = `Microsoft Graph, tenant ${TENANT}`;
    expect(groups.find((g) => g.id === finance)?.synced).toEqual({ source, locked: true });
    expect(groups.find((g) => g.id === sales)?.synced).toEqual({ source, locked: true });
    expect(groups.find((g) => g.id === board)?.synced).toBeNull();
    const detail = await c.w.ok<GroupDetail>(c.w.ownerId, 'groups.get', { id: finance });
    expect(detail.synced).toEqual({ source, locked: true });
    expect(detail.can).toMatchObject({ edit: true, rename: false, move: false, remove: false });
    const hand = await c.w.ok<GroupDetail>(c.w.ownerId, 'groups.get', { id: board });
    expect(hand.can).toMatchObject({ rename: true, move: true, remove: true });
  });

  it('groups.update: renaming it and giving it another kind are refused, naming the field; the group is as it was', async () => {
    const before = groupRow(finance);
    const rename = await c.w.call(c.w.ownerId, 'groups.update', { id: finance, baseVersion: c.w.version('group', finance), name: 'Money' });
    expect(rename).toEqual(refusedNaming('name'));
    expect(rename.ok ? '' : rename.error.message).toContain(
      `is synced from Microsoft Graph, tenant ${TENANT}: it cannot be renamed by hand`,
    );
    const kind = await c.w.call(c.w.ownerId, 'groups.update', {
      id: finance,
      baseVersion: c.w.version('group', finance),
      kind: 'location',
    });
    expect(kind).toEqual(refusedNaming('kind'));
    expect(groupRow(finance)).toEqual(before);
    // Whatever the directory does not own stays editable.
    expect(
      await c.w.call(c.w.ownerId, 'groups.update', { id: finance, baseVersion: c.w.version('group', finance), serviceType: 'Backup' }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('groups.move into a location of the company is refused; its place and ancestry are as they were', async () => {
    const before = { row: groupRow(finance), closure: closure(finance) };
    expect(await c.w.call(c.w.ownerId, 'groups.move', { id: finance, parentId: berlin })).toEqual(refusedNaming('id'));
    expect({ row: groupRow(finance), closure: closure(finance) }).toEqual(before);
    // A department made by hand moves.
    expect(await c.w.call(c.w.ownerId, 'groups.move', { id: board, parentId: berlin })).toMatchObject({ ok: true });
  });

  it('groups.remove is refused; the department and its members are still there', async () => {
    const members = db.prepare('SELECT user_id FROM user_departments WHERE group_id = ? ORDER BY user_id').all(sales);
    expect(await c.w.call(c.w.ownerId, 'groups.remove', { id: sales })).toEqual(refusedNaming('id'));
    expect(groupRow(sales)).toMatchObject({ name: 'Sales', kind: 'department' });
    expect(db.prepare('SELECT user_id FROM user_departments WHERE group_id = ? ORDER BY user_id').all(sales)).toEqual(members);
  });

  it('users.setDepartments: adding someone to a synced department or taking them out is refused; hand departments stay theirs', async () => {
    const before = departmentsOf(person(0));
    expect(before).toEqual([finance]);
    const version = () => c.w.version('user', person(0));
    const add = await c.w.call(c.w.ownerId, 'users.setDepartments', {
      userId: person(0),
      baseVersion: version(),
      departmentIds: [finance, sales],
    });
    expect(add).toEqual(refusedNaming('departmentIds.1'));
    expect(add.ok ? '' : add.error.message).toContain('Who is in “Sales” is synced from');
    const out = await c.w.call(c.w.ownerId, 'users.setDepartments', { userId: person(0), baseVersion: version(), departmentIds: [] });
    expect(out).toEqual(refusedNaming('departmentIds'));
    expect(departmentsOf(person(0))).toEqual(before);
    // The department made by hand is the people's to give: the synced one is kept as it is.
    expect(
      await c.w.call(c.w.ownerId, 'users.setDepartments', { userId: person(0), baseVersion: version(), departmentIds: [finance, board] }),
    ).toMatchObject({ ok: true });
    expect(departmentsOf(person(0))).toEqual([board, finance].sort());
  });

  it('every refusal names a field of its own input', async () => {
    const answers: Array<[keyof typeof contract, Awaited<ReturnType<typeof c.w.call>>]> = [
      ['groups.update', await c.w.call(c.w.ownerId, 'groups.update', { id: sales, baseVersion: c.w.version('group', sales), name: 'X' })],
      ['groups.move', await c.w.call(c.w.ownerId, 'groups.move', { id: sales, parentId: berlin })],
      ['groups.remove', await c.w.call(c.w.ownerId, 'groups.remove', { id: sales })],
      [
        'users.setDepartments',
        await c.w.call(c.w.ownerId, 'users.setDepartments', {
          userId: person(1),
          baseVersion: c.w.version('user', person(1)),
          departmentIds: [],
        }),
      ],
    ];
    for (const [name, answer] of answers) {
      expect(answer.ok, name).toBe(false);
      expect(namesInputField(contract[name].input, answer.ok ? '' : (answer.error.field ?? '')), name).toBe(true);
    }
  });

  it('any other writer meets the same rule in the database (migration 31), and nothing it tried is kept', () => {
    const before = { finance: groupRow(finance), members: departmentsOf(person(2)) };
    const attempts = [
      () => db.prepare("UPDATE groups SET name = 'Money' WHERE id = ?").run(finance),
      () => db.prepare('UPDATE groups SET parent_id = ? WHERE id = ?').run(berlin, finance),
      () => db.prepare('DELETE FROM groups WHERE id = ?').run(finance),
      () => db.prepare('INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)').run(person(2), finance),
      () => db.prepare('DELETE FROM user_departments WHERE user_id = ? AND group_id = ?').run(person(2), sales),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(/R29: a department synced from the directory is changed only by the sync/);
    expect({ finance: groupRow(finance), members: departmentsOf(person(2)) }).toEqual(before);
  });

  it('a sync flag left committed is not trusted: the next open removes it, and the rule holds again', () => {
    db.prepare('INSERT INTO directory_applying (company_id) VALUES (?)').run(c.company);
    db.prepare("UPDATE groups SET name = 'Finance' WHERE id = ?").run(finance);
    runMigrations(db);
    expect(db.prepare('SELECT count(*) AS n FROM directory_applying').get()).toEqual({ n: 0 });
    expect(() => db.prepare("UPDATE groups SET name = 'Money' WHERE id = ?").run(finance)).toThrow(/R29/);
  });

  it('removing a person still takes their synced memberships with them', async () => {
    expect(departmentsOf(person(3))).toEqual([sales]);
    expect(await c.w.call(c.w.ownerId, 'users.remove', { id: person(3) })).toMatchObject({ ok: true });
    expect(db.prepare('SELECT count(*) AS n FROM user_departments WHERE user_id = ?').get(person(3))).toEqual({ n: 0 });
  });

  it('with the sync off, the departments are marked but managed by hand again', async () => {
    await setSync(false);
    const { groups } = await c.w.ok<{ groups: GroupSummary[] }>(c.w.ownerId, 'groups.tree', {});
    expect(groups.find((g) => g.id === finance)?.synced).toMatchObject({ locked: false });
    expect((await c.w.ok<GroupDetail>(c.w.ownerId, 'groups.get', { id: finance })).can).toMatchObject({
      rename: true,
      move: true,
      remove: true,
    });
    expect(
      await c.w.call(c.w.ownerId, 'groups.update', { id: finance, baseVersion: c.w.version('group', finance), name: 'Money' }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await c.w.call(c.w.ownerId, 'users.setDepartments', {
        userId: person(1),
        baseVersion: c.w.version('user', person(1)),
        departmentIds: [],
      }),
    ).toMatchObject({ ok: true });
    expect(groupRow(finance)).toMatchObject({ name: 'Money' });
  });
});
