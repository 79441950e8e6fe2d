import { afterEach, describe, expect, it } from 'vitest';
import type { GroupSummary } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/**
 * groups.tree's order (main/features/groups/read.ts, `parentsFirst`): every parent before its
 * children, siblings by name whatever their case or width (the sibling-name index's key), and
 * a person's several visible roots by name too.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const names = async (w: World, reader: string) =>
  (await w.ok<{ groups: GroupSummary[] }>(reader, 'groups.tree', {})).groups.map((g) => g.name);

describe('groups.tree order', () => {
  it('lists parents first, siblings by name ignoring case and width, and several visible roots by name', async () => {
    const w = new World();
    worlds.push(w);
    const zulu = w.group(w.rootId, 'customer', 'zulu');
    const alpha = w.group(w.rootId, 'customer', 'Alpha');
    w.group(w.rootId, 'customer', 'ｂｒａｖｏ');
    w.group(alpha, 'location', 'delta');
    w.group(alpha, 'location', 'Charlie');
    w.group(zulu, 'location', 'Echo');
    expect(await names(w, w.ownerId)).toEqual(['Provider', 'Alpha', 'ｂｒａｖｏ', 'zulu', 'Charlie', 'delta', 'Echo']);

    // Admin of two customers, not of the provider: two roots, by name, each followed by its own.
    const both = w.user('both', alpha);
    w.bind(both, ROLE.admin, zulu);
    w.bind(both, ROLE.admin, alpha);
    expect(await names(w, both)).toEqual(['Alpha', 'zulu', 'Charlie', 'delta', 'Echo']);
  });
});
