import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { Binding } from '../../../shared/access/decide';
import { dominanceGaps as gapsOf, dominates as dominatesPerson, type PlacedBinding } from '../../../shared/access/dominance';
import { bind, PATH, role } from './fixtures';

type Group = keyof typeof PATH;

/** A binding of the person at one of the fixture groups, with that group's path. */
function placed(at: Group, name: string, keys: readonly string[], visibility: DeviceVisibility = 'scope'): PlacedBinding {
  return { ...bind(at, role(name, keys, visibility)), path: PATH[at] };
}

const EVERY_DEVICE = (key: string) => `${key} (for every device, not only assigned ones)`;
const ASSIGNED_APART = (key: string) => `${key} (on devices assigned to them)`;

// Most cases have no device assigned to the person alone; those that do say so with `apart`.
const dominanceGaps = (actor: readonly Binding[], person: readonly PlacedBinding[], within?: readonly string[]) =>
  gapsOf(actor, { bindings: person, devicesAssignedApart: [] }, within);
const dominates = (actor: readonly Binding[], person: readonly PlacedBinding[], within?: readonly string[]) =>
  dominatesPerson(actor, { bindings: person, devicesAssignedApart: [] }, within);

describe('dominanceGaps (R7, R7): the actor holds, at every scope where the person holds a role, every key the person holds there', () => {
  it('an actor holding every key of the person’s role at the role’s own group dominates the person', () => {
    const person = [placed('acme', 'Helpdesk', ['users.view', 'users.edit'])];
    const actor = [bind('acme', role('Admin', ['users.view', 'users.edit', 'users.delete']))];
    expect(dominanceGaps(actor, person)).toEqual([]);
    expect(dominates(actor, person)).toBe(true);
  });

  it('keys held at a group above the person’s scope count, as they reach it', () => {
    const person = [placed('berlin', 'Helpdesk', ['users.view', 'users.edit'])];
    expect(dominates([bind('reseller', role('Reseller admin', ['users.view', 'users.edit']))], person)).toBe(true);
  });

  it('names the undominated binding, its role and every key the actor lacks there', () => {
    const person = [placed('acme', 'Admin', ['users.view', 'users.delete', 'billing.manage'])];
    const actor = [bind('acme', role('Helpdesk', ['users.view']))];
    expect(dominanceGaps(actor, person)).toEqual([{ groupId: 'acme', roleName: 'Admin', missing: ['users.delete', 'billing.manage'] }]);
    expect(dominates(actor, person)).toBe(false);
  });

  it('every scope is compared on its own: dominating the person at one binding does not cover another', () => {
    const person = [placed('acme', 'Helpdesk', ['users.view']), placed('globex', 'Helpdesk', ['users.view'])];
    const actor = [bind('acme', role('Admin', ['users.view', 'users.edit']))];
    expect(dominanceGaps(actor, person)).toEqual([{ groupId: 'globex', roleName: 'Helpdesk', missing: ['users.view'] }]);
    expect(dominates(actor, person)).toBe(false);
  });

  it('lists every undominated binding in the person’s order, and only those', () => {
    const person = [
      placed('globex', 'Viewer', ['users.view']),
      placed('acme', 'Viewer', ['users.view']),
      placed('berlin', 'Operator', ['jobs.run']),
    ];
    const actor = [bind('acme', role('Viewer', ['users.view']))];
    expect(dominanceGaps(actor, person)).toEqual([
      { groupId: 'globex', roleName: 'Viewer', missing: ['users.view'] },
      { groupId: 'berlin', roleName: 'Operator', missing: ['jobs.run'] },
    ]);
  });

  it('an actor bound below the person’s binding does not dominate it, whatever keys it holds', () => {
    const person = [placed('acme', 'Helpdesk', ['users.view'])];
    const actor = [bind('berlin', role('Admin', ['users.view', 'users.edit', 'users.delete']))];
    expect(dominanceGaps(actor, person)).toEqual([{ groupId: 'acme', roleName: 'Helpdesk', missing: ['users.view'] }]);
  });

  it('devices are seen as widely: an actor seeing assigned devices only does not dominate a person seeing every device', () => {
    const person = [placed('acme', 'Admin', ['devices.view', 'jobs.run'], 'scope')];
    const actor = [bind('acme', role('Operator', ['devices.view', 'jobs.run'], 'assigned'))];
    expect(dominanceGaps(actor, person)).toEqual([
      { groupId: 'acme', roleName: 'Admin', missing: [EVERY_DEVICE('devices.view'), EVERY_DEVICE('jobs.run')] },
    ]);
    // The same keys limited to assigned devices are within what the actor holds.
    expect(dominates(actor, [placed('acme', 'Operator', ['devices.view', 'jobs.run'], 'assigned')])).toBe(true);
  });

  it('every key of a role applies to the devices it sees, so R5’s visibility clause covers keys outside the devices area too', () => {
    const person = [placed('acme', 'Runner', ['jobs.run'], 'scope')];
    expect(dominanceGaps([bind('acme', role('Operator', ['jobs.run'], 'assigned'))], person)).toEqual([
      { groupId: 'acme', roleName: 'Runner', missing: [EVERY_DEVICE('jobs.run')] },
    ]);
    expect(dominates([bind('root', role('Runner', ['jobs.run'], 'scope'))], person)).toBe(true);
  });

  it('a person seeing only assigned devices holds their keys on devices assigned to them and not to the actor: the actor must see those devices', () => {
    const person = [placed('acme', 'Operator', ['devices.view', 'jobs.run'], 'assigned')];
    const operator = [bind('root', role('Operator', ['devices.view', 'jobs.run'], 'assigned'))];
    // A device in Berlin is assigned to the person only: the same Operator role does not reach it.
    expect(gapsOf(operator, { bindings: person, devicesAssignedApart: [PATH.berlin] })).toEqual([
      { groupId: 'acme', roleName: 'Operator', missing: [ASSIGNED_APART('devices.view'), ASSIGNED_APART('jobs.run')] },
    ]);
    // An actor seeing every device there holds the keys on it.
    const admin = [...operator, bind('acme', role('Admin', ['devices.view', 'jobs.run'], 'scope'))];
    expect(dominatesPerson(admin, { bindings: person, devicesAssignedApart: [PATH.berlin] })).toBe(true);
    // Seeing every device of another customer is no help.
    const elsewhere = [...operator, bind('globex', role('Admin', ['devices.view', 'jobs.run'], 'scope'))];
    expect(dominatesPerson(elsewhere, { bindings: person, devicesAssignedApart: [PATH.berlin] })).toBe(false);
    // A device outside the binding's scope gives the person nothing through it.
    expect(dominatesPerson(operator, { bindings: person, devicesAssignedApart: [PATH.globex] })).toBe(true);
    // Seeing every device counts at the device's own group, below the person's binding, too.
    const berlinAdmin = [...operator, bind('berlin', role('Admin', ['devices.view', 'jobs.run'], 'scope'))];
    expect(dominatesPerson(berlinAdmin, { bindings: person, devicesAssignedApart: [PATH.berlin] })).toBe(true);
  });

  it('devices assigned apart do not matter for a person’s roles that see every device (those are compared by scope)', () => {
    const person = [placed('acme', 'Admin', ['devices.view'], 'scope')];
    // The gap is named once, as a scope gap, not again per device assigned apart.
    expect(
      gapsOf([bind('root', role('Operator', ['devices.view'], 'assigned'))], { bindings: person, devicesAssignedApart: [PATH.berlin] }),
    ).toEqual([{ groupId: 'acme', roleName: 'Admin', missing: [EVERY_DEVICE('devices.view')] }]);
    expect(
      dominatesPerson([bind('acme', role('Admin', ['devices.view']))], { bindings: person, devicesAssignedApart: [PATH.berlin] }),
    ).toBe(true);
  });

  it('a person holding no role at all is dominated by anyone, even an actor with no role', () => {
    expect(dominanceGaps([], [])).toEqual([]);
    expect(dominates([], [])).toBe(true);
  });

  it('a role without keys leaves no gap: there is nothing the actor must hold there', () => {
    expect(dominates([], [placed('acme', 'Empty', [])])).toBe(true);
  });

  it('an actor without any role does not dominate a person holding a key', () => {
    expect(dominanceGaps([], [placed('finance', 'Viewer', ['users.view'])])).toEqual([
      { groupId: 'finance', roleName: 'Viewer', missing: ['users.view'] },
    ]);
  });
});

describe('dominanceGaps with `within` (R7 for one path, e.g. assigning a device): only the person’s bindings whose scope covers the path count', () => {
  const person = [placed('acme', 'Admin', ['users.view', 'users.delete']), placed('globex', 'Helpdesk', ['users.view'])];
  const actor = [bind('acme', role('Admin', ['users.view', 'users.delete']))];

  it('a gap at a scope off the path is ignored', () => {
    expect(dominanceGaps(actor, person)).toHaveLength(1);
    expect(dominanceGaps(actor, person, PATH.berlin)).toEqual([]);
    expect(dominates(actor, person, PATH.berlin)).toBe(true);
    expect(dominates(actor, person)).toBe(false);
  });

  it('a gap at a scope covering the path still refuses', () => {
    expect(dominanceGaps(actor, person, PATH.globex)).toEqual([{ groupId: 'globex', roleName: 'Helpdesk', missing: ['users.view'] }]);
    expect(dominates(actor, person, PATH.globex)).toBe(false);
  });

  it('a binding of the person below the path does not cover it and is ignored', () => {
    const below = [placed('finance', 'Admin', ['users.delete'])];
    expect(dominates([], below, PATH.acme)).toBe(true);
    expect(dominates([], below, PATH.finance)).toBe(false);
  });

  it('an empty path leaves nothing to compare', () => {
    expect(dominanceGaps([], person, [])).toEqual([]);
  });
});

// Random people and actors over the fixture tree, with keys drawn from a few areas
// including device keys (so R5's device visibility takes part).
const GROUPS = Object.keys(PATH) as Group[];
const KEYS = ['users.view', 'users.edit', 'users.delete', 'devices.view', 'devices.assign', 'jobs.run'];
const spec = fc.record({
  at: fc.constantFrom(...GROUPS),
  keys: fc.subarray(KEYS),
  visibility: fc.constantFrom<DeviceVisibility>('scope', 'assigned'),
});
const people = fc.array(spec, { maxLength: 4 }).map((s) => s.map((b, i) => placed(b.at, `P${i}`, b.keys, b.visibility)));
const actors = fc.array(spec, { maxLength: 4 }).map((s) => s.map((b, i) => bind(b.at, role(`A${i}`, b.keys, b.visibility))));

/** The rule written out directly, as a reference for the properties below. */
function referenceGaps(
  actor: readonly Binding[],
  person: readonly PlacedBinding[],
  apart: ReadonlyArray<readonly string[]>,
): PlacedBinding[] {
  return person.filter((p) =>
    [...p.role.permissions].some((key) => {
      const holders = actor.filter((a) => p.path.includes(a.groupId) && a.role.permissions.has(key));
      if (holders.length === 0) return true;
      if (p.role.deviceVisibility === 'scope') return holders.every((h) => h.role.deviceVisibility !== 'scope');
      // Each device assigned to the person alone, under this binding, needs a holder there that sees every device.
      return apart.some(
        (device) =>
          device.includes(p.groupId) &&
          !actor.some((a) => device.includes(a.groupId) && a.role.permissions.has(key) && a.role.deviceVisibility === 'scope'),
      );
    }),
  );
}
const apartPaths = fc.subarray(GROUPS).map((gs) => gs.map((g) => PATH[g]));

describe('dominance properties (R7)', () => {
  it('finds exactly the person’s bindings the actor does not cover', () => {
    fc.assert(
      fc.property(actors, people, apartPaths, (actor, person, apart) => {
        const gaps = gapsOf(actor, { bindings: person, devicesAssignedApart: apart });
        expect(gaps.map((g) => g.roleName)).toEqual(referenceGaps(actor, person, apart).map((p) => p.role.name));
        expect(dominatesPerson(actor, { bindings: person, devicesAssignedApart: apart })).toBe(gaps.length === 0);
        for (const gap of gaps) expect(gap.missing.length).toBeGreaterThan(0);
      }),
    );
  });

  it('is reflexive: anyone dominates themselves', () => {
    fc.assert(
      fc.property(people, (person) => {
        expect(dominates(person, person)).toBe(true);
      }),
    );
  });

  it('a person whose roles are subsets of the actor’s, held at or below the actor’s bindings, is dominated', () => {
    fc.assert(
      fc.property(people, fc.array(fc.constantFrom(...GROUPS)), (person, extraAt) => {
        // The actor holds each of the person's roles, with every device in sight, at the root of that role's path
        // or at the role's own group, plus roles elsewhere that must not matter.
        const actor = person.flatMap((p, i) => {
          const at = i % 2 === 0 ? p.groupId : (p.path[p.path.length - 1] ?? p.groupId);
          return [bind(at, role(`A${i}`, [...p.role.permissions, 'jobs.run'], 'scope'))];
        });
        const elsewhere = extraAt.map((at, i) => bind(at, role(`X${i}`, ['users.view'], 'assigned')));
        expect(dominates([...elsewhere, ...actor], person)).toBe(true);
      }),
    );
  });

  it('adding a key to a person’s role never turns a refusal into a permission', () => {
    fc.assert(
      fc.property(actors, people, fc.nat(), fc.constantFrom(...KEYS), (actor, person, which, key) => {
        fc.pre(person.length > 0);
        const index = which % person.length;
        const grown = person.map((p, i) =>
          i === index ? { ...p, role: { ...p.role, permissions: new Set([...p.role.permissions, key]) } } : p,
        );
        if (!dominates(actor, person)) expect(dominates(actor, grown)).toBe(false);
        // Gaps only grow: every binding refused before is still refused.
        const before = dominanceGaps(actor, person).map((g) => g.roleName);
        const after = dominanceGaps(actor, grown).map((g) => g.roleName);
        expect(after).toEqual(expect.arrayContaining(before));
      }),
    );
  });

  it('`within` only ever removes gaps: it keeps exactly those at scopes covering the path', () => {
    fc.assert(
      fc.property(actors, people, fc.constantFrom(...GROUPS), (actor, person, at) => {
        const all = dominanceGaps(actor, person);
        const limited = dominanceGaps(actor, person, PATH[at]);
        expect(limited).toEqual(all.filter((g) => (PATH[at] as readonly string[]).includes(g.groupId)));
        if (dominates(actor, person)) expect(dominates(actor, person, PATH[at])).toBe(true);
      }),
    );
  });

  it('an actor bound only strictly below the person’s binding never dominates it', () => {
    fc.assert(
      fc.property(actors, fc.subarray(KEYS, { minLength: 1 }), (actor, keys) => {
        const below = actor.filter((a) => a.groupId === 'berlin' || a.groupId === 'finance');
        expect(dominates(below, [placed('acme', 'Held', keys)])).toBe(false);
      }),
    );
  });
});
