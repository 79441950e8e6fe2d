import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/contract';
import { nameKey } from '../../shared/names';
import { SCHEMA_VERSION, runMigrations } from '../../main/db/migrations';
import { describeCollisions, NAME_KEY_INDEXES, nameCollisions, refreshNameKeys } from '../../main/db/name-keys';
import { ROLE, World } from '../helpers/world';

/** Issue 16 (R24): names that look the same on screen are one name. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function reseller(w = new World()) {
  worlds.push(w);
  const resB = w.group(w.rootId, 'reseller', 'Res B');
  const resC = w.group(w.rootId, 'reseller', 'Res C');
  return { w, resB, resC };
}

const create = (w: World, parentId: string, name: string, kind = 'customer') =>
  w.call<{ id: string }>(w.ownerId, 'groups.create', { parentId, kind, name });
const HEADER = 'name,kind,os,status,lastBackupAt,group';

describe('nameKey', () => {
  it('folds case beyond ASCII, composes accents, reads full-width letters and ligatures plainly', () => {
    expect(nameKey('Ärzte')).toBe(nameKey('ärzte'));
    expect(nameKey('A\u0308rzte')).toBe(nameKey('Ärzte')); // Ä typed as A + combining diaeresis
    expect(nameKey('ＢＥＴＡ')).toBe(nameKey('beta'));
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'));
    expect(nameKey('  Res   B ')).toBe(nameKey('Res B'));
    expect(nameKey('Ärzte')).not.toBe(nameKey('Arzte'));
  });
});

describe('names compared as people read them', () => {
  it('a group name among siblings: "Ärzte" then "ärzte" (or Ä typed in two keystrokes, or "ÄRZTE") is refused; elsewhere it is fine', async () => {
    const { w, resB, resC } = reseller();
    const first = await create(w, resB, 'Ärzte');
    expect(first.ok).toBe(true);
    for (const name of ['ärzte', 'A\u0308rzte', 'ÄRZTE']) {
      const again = await create(w, resB, name);
      expect(again.ok, name).toBe(false);
      if (again.ok) continue;
      expect(again.error).toMatchObject({ code: 'CONFLICT', field: 'name' });
      expect(again.error.message).toContain('“Res B” already has a group named “Ärzte”');
    }
    const elsewhere = await create(w, resC, 'ärzte');
    expect(elsewhere.ok).toBe(true);
    if (!elsewhere.ok || !first.ok) return;
    // Renaming or moving into a clash is refused the same way; renaming a group to its own name in other case is not a clash.
    const rename = await w.call(w.ownerId, 'groups.update', {
      id: elsewhere.value.id,
      baseVersion: w.version('group', elsewhere.value.id),
      name: 'ÄRZTE',
    });
    expect(rename.ok).toBe(true);
    const move = await w.call(w.ownerId, 'groups.move', { id: elsewhere.value.id, parentId: resB });
    expect(move).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const self = await w.call(w.ownerId, 'groups.update', {
      id: first.value.id,
      baseVersion: w.version('group', first.value.id),
      name: 'ÄRZTE',
    });
    expect(self.ok).toBe(true);
  });

  it('an invisible character is refused with the field and the character named: "Beta" and "Beta\\u200b"', async () => {
    const { w, resB } = reseller();
    expect((await create(w, resB, 'Beta')).ok).toBe(true);
    const hidden = await create(w, resB, 'Beta\u200b');
    expect(hidden).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    if (!hidden.ok) expect(hidden.error.message).toContain('Name contains an invisible character (U+200B at position 5); type it without');
    const softHyphen = await w.call(w.ownerId, 'roles.create', {
      ownerGroupId: resB,
      name: 'Tech\u00adnician',
      deviceVisibility: 'scope',
      permissions: [],
    });
    expect(softHyphen).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    expect(w.steward.count('groups')).toBe(4);
  });

  it('a role name where it is defined: "Técnico" then "TÉCNICO" is refused', async () => {
    const { w, resB, resC } = reseller();
    const role = (ownerGroupId: string, name: string) =>
      w.call(w.ownerId, 'roles.create', { ownerGroupId, name, deviceVisibility: 'scope', permissions: ['devices.view'] });
    expect((await role(resB, 'Técnico')).ok).toBe(true);
    const again = await role(resB, 'TE\u0301CNICO');
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: 'A role named “Técnico” already exists there' },
    });
    expect((await role(resC, 'TÉCNICO')).ok).toBe(true);
  });

  it('usernames and emails: another case is the same account', async () => {
    const { w, resB } = reseller();
    const owner = w.user('resowner', resB);
    w.bind(owner, ROLE.owner, resB);
    const make = (username: string, email: string) =>
      w.call(owner, 'users.create', { username, email, fullName: 'Ann', homeGroupId: resB, bindings: [] });
    expect((await make('ann.smith', 'ann@example.test')).ok).toBe(true);
    expect(await make('ANN.Smith', 'other@example.test')).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'username' } });
    expect(await make('ann2', 'ANN@Example.TEST')).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'email' } });
  });
});

describe('device import paths resolve by the same rule', () => {
  it('`Res B / ärzte`, the full path in any case, and an exported file imported again all find "Ärzte"', async () => {
    const { w, resB } = reseller();
    const made = await create(w, resB, 'Ärzte');
    if (!made.ok) throw new Error(made.error.message);
    const aerzte = made.value.id;
    const report = await w.ok<ImportReport>(w.ownerId, 'devices.import', {
      format: 'csv',
      mode: 'all-or-nothing',
      content: [
        HEADER,
        'pc-1,workstation,,ok,,Res B / ärzte',
        'pc-2,workstation,,ok,,provider / RES B / A\u0308RZTE',
        'pc-3,workstation,,ok,,ÄRZTE',
      ].join('\n'),
    });
    expect(report).toMatchObject({ imported: 3, rejectedTotal: 0 });
    const groups = w.steward.db.prepare('SELECT DISTINCT group_id AS g FROM devices').all() as Array<{ g: string }>;
    expect(groups).toEqual([{ g: aerzte }]);

    // Re-import by path: the export names each device's group by its full path; moved elsewhere, the same file finds its groups.
    const exported = await w.ok<{ content: string }>(w.ownerId, 'devices.export', { format: 'csv' });
    expect(exported.content).toContain('Provider / Res B / Ärzte');
    w.steward.db.prepare('DELETE FROM devices').run();
    const again = await w.ok<ImportReport>(w.ownerId, 'devices.import', {
      format: 'csv',
      mode: 'all-or-nothing',
      content: exported.content,
    });
    expect(again).toMatchObject({ imported: 3, rejectedTotal: 0 });
    expect(w.steward.db.prepare('SELECT DISTINCT group_id AS g FROM devices').all()).toEqual([{ g: aerzte }]);
  });
});

describe('migration 20 on a database from before it', () => {
  it('keeps names that read the same, reports them, refuses a new one, and an import names them by id', async () => {
    const { w, resB } = reseller();
    const db = w.steward.db;
    // The schema as it was before migration 20, with what its NOCASE index let in (it folded ASCII only).
    for (const index of NAME_KEY_INDEXES) db.exec(`DROP INDEX ${index}`);
    db.exec('DROP TABLE name_key_unicode');
    db.pragma('user_version = 19'); // the last step before 20, whichever of 17–19 exist
    const upper = w.group(resB, 'customer', 'Ärzte');
    const lower = w.group(resB, 'customer', 'ärzte');
    runMigrations(db);
    refreshNameKeys(db);

    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT id, name FROM groups WHERE parent_id = ? ORDER BY name').all(resB)).toEqual([
      { id: upper, name: 'Ärzte' },
      { id: lower, name: 'ärzte' },
    ]);
    const [found, ...more] = nameCollisions(db);
    expect(more).toEqual([]);
    expect(found).toMatchObject({ kind: 'group', scopeId: resB });
    expect(new Set(found?.ids)).toEqual(new Set([upper, lower]));
    expect(describeCollisions(nameCollisions(db))).toContain('group “Ärzte” and “ärzte”');

    expect(await create(w, resB, 'ÄRZTE')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const report = await w.ok<ImportReport>(w.ownerId, 'devices.import', {
      format: 'csv',
      mode: 'good-rows',
      content: [HEADER, 'pc-1,workstation,,ok,,Res B / Ärzte', `pc-2,workstation,,ok,,${lower}`].join('\n'),
    });
    expect(report).toMatchObject({ imported: 1, rejectedTotal: 1 });
    expect(report.rejected[0]?.reason).toContain('names 2 groups whose names read the same');
    expect(report.rejected[0]?.reason).toContain(lower);
    // Renaming one of them ends the report.
    await w.ok(w.ownerId, 'groups.update', { id: lower, baseVersion: w.version('group', lower), name: 'Ärzte Nord' });
    expect(nameCollisions(db)).toEqual([]);
  });
});
