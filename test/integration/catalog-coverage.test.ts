import { afterAll, describe, expect, it } from 'vitest';
import { PERMISSION_KEYS, PERMISSIONS } from '../../shared/access/catalog';
import { decide } from '../../shared/access/decide';
import type { AreaEffect } from '../../shared/access/effective';
import { bindingsOf, resolveTarget } from '../../main/features/access/access';
import { READ_KEYS } from '../../main/features/read-keys';
import { World } from '../helpers/world';

/**
 * Finding 6: no permission guards nothing. Keys of the console are each checked by some
 * operation's declared rule or some read's filter; keys of the backup service's own
 * actions are each decided for the service, device by device, through access.decide.
 */
const w = new World();
afterAll(() => w.cleanup());

/** Every key an operation's declared rule may check, read from the registry itself. */
function ruleKeys(): { keys: Set<string>; undeclared: string[] } {
  const keys = new Set<string>();
  const undeclared: string[] = [];
  for (const entry of w.steward.registry.entries()) {
    const rule = entry.access;
    if (rule.kind === 'anywhere' || rule.kind === 'list') keys.add(rule.permission);
    if (rule.kind === 'scoped' && rule.anywhere) keys.add(rule.anywhere);
    if (rule.kind === 'scoped' || (rule.kind === 'list' && rule.needs)) {
      if (rule.keys) rule.keys.forEach((k) => keys.add(k));
      else undeclared.push(entry.name);
    }
  }
  return { keys, undeclared };
}

describe('the permission catalog: every key guards something', () => {
  it('every rule with needs lists the keys they may name, so the keys below are all of them', () => {
    expect(ruleKeys().undeclared).toEqual([]);
  });

  it('every key the console enforces is checked by an operation’s rule or a read’s filter, and every key checked is in the catalog', () => {
    const used = new Set([...ruleKeys().keys, ...Object.values(READ_KEYS).flat()]);
    const unguarded = PERMISSIONS.filter((d) => d.enforcedBy === 'console' && !used.has(d.key)).map((d) => d.key);
    expect(unguarded).toEqual([]);
    expect([...used].filter((k) => !PERMISSION_KEYS.includes(k))).toEqual([]);
  });

  it('no key of the backup service’s own actions is checked as if Steward performed it', () => {
    const { keys } = ruleKeys();
    expect(PERMISSIONS.filter((d) => d.enforcedBy === 'service' && keys.has(d.key)).map((d) => d.key)).toEqual([]);
  });
});

const SERVICE_KEYS = PERMISSIONS.filter((d) => d.enforcedBy === 'service');

describe('keys decided for the backup service: access.decide answers them per device exactly like decide', () => {
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  const device = w.device(acme, 'acme-server');
  const elsewhere = w.device(globex, 'globex-server');

  it.each(SERVICE_KEYS.map((d) => [d.key, d.area] as const))(
    '%s: allowed for a holder with the device in scope, refused for someone without it or out of scope',
    async (key, area) => {
      const holder = w.user(`holder-${key}`, acme);
      w.bind(holder, w.role(acme, [key]), acme);
      const other = w.user(`other-${key}`, acme);
      w.bind(other, w.role(acme, ['groups.view', 'devices.view']), acme);
      const ask = (userId: string, deviceId: string) =>
        w.ok<{ allowed: boolean }>(w.ownerId, 'access.decide', { userId, permission: key, target: { type: 'device', id: deviceId } });
      const expected = (userId: string, deviceId: string) => {
        const target = resolveTarget(w.steward.db, 'device', deviceId, userId);
        return target !== undefined && decide(bindingsOf(w.steward.db, userId), key, target).allowed;
      };
      for (const [userId, deviceId, allowed] of [
        [holder, device, true],
        [holder, elsewhere, false],
        [other, device, false],
      ] as const) {
        expect(await ask(userId, deviceId), `${userId} ${deviceId}`).toEqual({ allowed: expected(userId, deviceId) });
        expect(expected(userId, deviceId)).toBe(allowed);
      }
      // access.effective tells the service the same at the device's group, as the matrix shows it.
      const effective = await w.ok<{ areas: AreaEffect[] }>(w.ownerId, 'access.effective', { userId: holder, groupId: acme });
      expect(effective.areas.find((a) => a.area === area)?.keys).toEqual([key]);
    },
  );
});
