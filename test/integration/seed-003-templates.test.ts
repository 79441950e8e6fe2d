import { afterEach, describe, expect, it } from 'vitest';
import { ROLE_TEMPLATES, unknownTemplateKeys } from '../../shared/access/templates';
import { SEED_003_AREAS, seed003Table } from '../helpers/seeds';
import { World } from '../helpers/world';

/**
 * Seed 003 (Veeam Service Provider Console company roles): a company built with the six
 * templates gives, for every role and every row of the seed's table, exactly the seed's
 * level through access.effective. "Read*" and "Full*" are the level; the asterisk (only
 * the Subtenant's own computers) is its assigned-devices visibility.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const LEVEL: Record<string, string> = { Full: 'full', 'Full*': 'full', Read: 'read', 'Read*': 'read', 'N/A': 'none' };

describe('seed-003: company roles as templates', () => {
  it('seed-003: every template key exists in the catalog', () => {
    expect(unknownTemplateKeys()).toEqual([]);
  });

  it('seed-003: access.effective gives exactly the table’s level for every role and every row', async () => {
    const { roles, rows } = seed003Table();
    expect(roles).toEqual([
      'Company Owner',
      'Company Administrator',
      'Location Administrator',
      'Location User',
      'Subtenant',
      'Company Invoice Auditor',
    ]);
    expect(rows).toHaveLength(16);
    const w = new World();
    worlds.push(w);
    const company = w.group(w.rootId, 'customer', 'Acme');
    const location = w.group(company, 'location', 'Berlin');
    for (const [index, roleName] of roles.entries()) {
      const template = ROLE_TEMPLATES.find((t) => t.set === 'company-portal' && t.name === roleName);
      if (!template) throw new Error(`no template for ${roleName}`);
      const roleId = w.role(company, template.permissions, template.deviceVisibility, roleName);
      const user = w.user(roleName, company);
      // Location roles are bound at a location (seed 003: limited to one or more locations).
      const at = template.scopeKind === 'location' ? location : company;
      w.bind(user, roleId, at);
      const effective = await w.ok<{ areas: Array<{ area: string; level: string; keys: string[] }> }>(w.ownerId, 'access.effective', {
        userId: user,
        groupId: at,
      });
      const levelOf = new Map(effective.areas.map((a) => [a.area, a.level]));
      for (const row of rows) {
        const cell = row.cells[index] ?? '';
        const areas = SEED_003_AREAS[row.functionality];
        expect(areas, row.functionality).toBeDefined();
        // The Subtenant's own computers are the devices assigned to them: devices.view under
        // 'assigned' visibility, the table's "*" and not its "Managed computers" row, which
        // grants nothing more (seed-003-subtenant.test.ts proves no other device is reached).
        const expected = (area: string) =>
          roleName === 'Subtenant' && area === 'devices'
            ? 'read'
            : cell === 'Only portal users'
              ? area === 'users'
                ? 'full'
                : 'none'
              : LEVEL[cell];
        for (const area of areas ?? []) {
          expect(`${roleName} / ${row.functionality} / ${area}: ${levelOf.get(area)}`).toBe(
            `${roleName} / ${row.functionality} / ${area}: ${expected(area)}`,
          );
        }
      }
      if (roleName === 'Subtenant') {
        const devices = effective.areas.find((a) => a.area === 'devices');
        expect(devices?.keys).toEqual(['devices.view']);
      }
      expect(template.deviceVisibility).toBe(roleName === 'Subtenant' || roleName === 'Company Invoice Auditor' ? 'assigned' : 'scope');
    }
  });
});
