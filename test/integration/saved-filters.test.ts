import { afterEach, describe, expect, it } from 'vitest';
import type { SavedFilter } from '../../shared/contract';
import type { ApiError } from '../../shared/result';
import { AUDIT_FORM } from '../helpers/saved-filters';
import { ROLE, World } from '../helpers/world';

/** Issue 15, finding 8: saved filters of Devices and Audit, each person's own. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const DEVICES = {
  text: '',
  kinds: ['server'],
  os: ['Ubuntu 22.04'],
  statuses: ['failed'],
  groupId: null,
  assignment: 'unassigned',
  assignee: null,
  backup: { bucket: 'older', asOf: 1_700_000_000_000 },
};
/** The field a refusal names: its own, or its first problem's. */
const fieldOf = (error: Pick<ApiError, 'message'> & Partial<Pick<ApiError, 'field' | 'issues'>>) => error.field ?? error.issues?.[0]?.field;

const AUDIT = { ...AUDIT_FORM, outcome: 'denied' };

function world() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const ada = w.user('ada', acme);
  w.bind(ada, ROLE.admin, acme);
  return { w, ada };
}

describe('saved filters', () => {
  it('saves, lists by screen and name, saves over a name that reads the same, and removes', async () => {
    const { w } = world();
    const first = await w.ok<SavedFilter>(w.ownerId, 'filters.save', { screen: 'devices', name: 'Failed servers', filter: DEVICES });
    expect(first).toMatchObject({ screen: 'devices', name: 'Failed servers', filter: DEVICES });
    await w.ok(w.ownerId, 'filters.save', { screen: 'audit', name: 'Refusals today', filter: AUDIT });
    const again = await w.ok<SavedFilter>(w.ownerId, 'filters.save', {
      screen: 'devices',
      name: 'failed  SERVERS',
      filter: { ...DEVICES, statuses: ['failed', 'warning'] },
    });
    expect(again.id).toBe(first.id);
    const { filters } = await w.ok<{ filters: SavedFilter[] }>(w.ownerId, 'filters.list', { screen: 'devices' });
    expect(filters).toEqual([
      expect.objectContaining({ id: first.id, name: 'failed  SERVERS', filter: { ...DEVICES, statuses: ['failed', 'warning'] } }),
    ]);
    // A relative period stays relative.
    const audit = await w.ok<{ filters: SavedFilter[] }>(w.ownerId, 'filters.list', { screen: 'audit' });
    expect(audit.filters.map((f) => f.filter)).toEqual([AUDIT]);
    await w.ok(w.ownerId, 'filters.remove', { id: first.id });
    expect((await w.ok<{ filters: SavedFilter[] }>(w.ownerId, 'filters.list', { screen: 'devices' })).filters).toEqual([]);
    // Each save and removal is in the trail.
    const actions = w.steward.db.prepare("SELECT action FROM audit_events WHERE action LIKE 'filters.%' ORDER BY seq").pluck().all();
    expect(actions).toEqual(['filters.save', 'filters.save', 'filters.save.replaced', 'filters.remove']);
  });

  it('are their person’s alone: another person neither lists nor removes them, even an Owner above', async () => {
    const { w, ada } = world();
    const mine = await w.ok<SavedFilter>(ada, 'filters.save', { screen: 'devices', name: 'Mine', filter: DEVICES });
    expect((await w.ok<{ filters: SavedFilter[] }>(w.ownerId, 'filters.list', { screen: 'devices' })).filters).toEqual([]);
    const removal = await w.call(w.ownerId, 'filters.remove', { id: mine.id });
    expect(removal.ok ? null : [removal.error.code, removal.error.field]).toEqual(['NOT_FOUND', 'id']);
    expect((await w.ok<{ filters: SavedFilter[] }>(ada, 'filters.list', { screen: 'devices' })).filters).toHaveLength(1);
  });

  it('a filter that is not the screen’s form is refused, naming the field and the rule', async () => {
    const { w } = world();
    const badKind = await w.call(w.ownerId, 'filters.save', { screen: 'devices', name: 'Bad', filter: { ...DEVICES, kinds: ['toaster'] } });
    expect(badKind.ok ? null : [badKind.error.code, fieldOf(badKind.error)]).toEqual(['VALIDATION', 'filter.kinds.0']);
    const badBucket = await w.call(w.ownerId, 'filters.save', {
      screen: 'devices',
      name: 'Bad',
      filter: { ...DEVICES, backup: { bucket: 'fortnight', asOf: 0 } },
    });
    expect(badBucket.ok ? null : [badBucket.error.code, fieldOf(badBucket.error)]).toEqual(['VALIDATION', 'filter.backup.bucket']);
    // A filter saved before the last-backup filter existed reads as "any time".
    const older: Partial<typeof DEVICES> = { ...DEVICES };
    delete older.backup;
    const saved = await w.ok<SavedFilter>(w.ownerId, 'filters.save', { screen: 'devices', name: 'Older form', filter: older });
    expect(saved.filter).toEqual({ ...older, backup: null });
    const auditAsDevices = await w.call(w.ownerId, 'filters.save', { screen: 'devices', name: 'Bad', filter: AUDIT });
    expect(auditAsDevices.ok ? null : auditAsDevices.error.code).toBe('VALIDATION');
    const noName = await w.call(w.ownerId, 'filters.save', { screen: 'audit', name: '  ', filter: AUDIT });
    expect(noName.ok ? null : [noName.error.code, fieldOf(noName.error)]).toEqual(['VALIDATION', 'name']);
  });
});
