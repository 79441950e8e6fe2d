import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERMISSION_KEYS } from '../../../shared/access/catalog';
import type { Binding, RoleGrant } from '../../../shared/access/decide';
import type { PlacedBinding } from '../../../shared/access/dominance';
import { mayActOnOwner, ownerBindings, type RoleMeaning } from '../../../shared/access/owner';
import { PATH, role } from './fixtures';

type Group = keyof typeof PATH;

/** A role with a meaning (R9), holding every key so that only the meaning can decide. */
function meant(meaning: RoleMeaning | null, name = meaning ?? 'Member'): RoleGrant {
  return { ...role(name, PERMISSION_KEYS), meaning };
}

function at(group: Group, grant: RoleGrant): PlacedBinding {
  return { groupId: group, role: grant, path: PATH[group] };
}

const OWNER = meant('owner', 'Owner');
const ADMIN = meant('admin', 'Admin');

const actor = (...bindings: Binding[]) => ({ userId: 'actor', bindings });
const person = (...bindings: PlacedBinding[]) => ({ userId: 'person', bindings });

describe('ownerBindings (R9): the bindings whose role means Owner', () => {
  it('keeps only Owner bindings, in order and as given', () => {
    const a = at('acme', OWNER);
    const b = at('reseller', ADMIN);
    const c = at('globex', meant(null));
    const d = at('root', { ...role('Plain', ['users.view']) });
    const e = at('root', OWNER);
    expect(ownerBindings([a, b, c, d, e])).toEqual([a, e]);
    expect(ownerBindings([a, b, c, d, e])[1]).toBe(e);
  });

  it('an Admin holding every key is no Owner', () => {
    expect(ownerBindings([at('root', ADMIN)])).toEqual([]);
  });
});

describe('mayActOnOwner (R10): an Owner is changed only by themselves or by an Owner of a company strictly above theirs', () => {
  const acmeOwner = person(at('acme', OWNER));

  it('an Owner of a company above may act on the Owner below, at any height', () => {
    expect(mayActOnOwner(actor(at('reseller', OWNER)), acmeOwner)).toBe(true);
    expect(mayActOnOwner(actor(at('root', OWNER)), acmeOwner)).toBe(true);
  });

  it('the Owner acts on themselves', () => {
    expect(mayActOnOwner({ userId: 'person', bindings: [at('acme', OWNER)] }, acmeOwner)).toBe(true);
    // Even with no binding left on their own record, their own account stays theirs.
    expect(mayActOnOwner({ userId: 'person', bindings: [] }, acmeOwner)).toBe(true);
  });

  it('an Admin of the same company, holding every key, may not', () => {
    expect(mayActOnOwner(actor(at('acme', ADMIN)), acmeOwner)).toBe(false);
  });

  it('an Admin or key holder of a company above, without the Owner meaning, may not', () => {
    expect(mayActOnOwner(actor(at('root', ADMIN), at('reseller', meant(null))), acmeOwner)).toBe(false);
  });

  it('the Owner of the company itself is not above it: a second Owner binding at the same company may not', () => {
    expect(mayActOnOwner(actor(at('acme', OWNER)), acmeOwner)).toBe(false);
  });

  it('an Owner of a sibling company or of a company below may not', () => {
    expect(mayActOnOwner(actor(at('globex', OWNER)), acmeOwner)).toBe(false);
    expect(mayActOnOwner(actor(at('berlin', OWNER)), acmeOwner)).toBe(false);
  });

  it('an actor without any role may not act on an Owner', () => {
    expect(mayActOnOwner(actor(), acmeOwner)).toBe(false);
  });

  it('one Owner binding above is enough, beside Owner bindings elsewhere', () => {
    expect(mayActOnOwner(actor(at('globex', OWNER), at('reseller', OWNER), at('acme', OWNER)), acmeOwner)).toBe(true);
  });

  it('a person who is Owner at several companies needs an Owner above each of them', () => {
    const twice = person(at('acme', OWNER), at('globex', OWNER));
    expect(mayActOnOwner(actor(at('acme', OWNER)), twice)).toBe(false);
    expect(mayActOnOwner(actor(at('reseller', OWNER)), twice)).toBe(true);
    const acmeAndReseller = person(at('acme', OWNER), at('reseller', OWNER));
    expect(mayActOnOwner(actor(at('reseller', OWNER)), acmeAndReseller)).toBe(false);
    expect(mayActOnOwner(actor(at('root', OWNER)), acmeAndReseller)).toBe(true);
  });

  it('a person who is no Owner is not protected by R10: anyone passes it (R7 still applies)', () => {
    expect(mayActOnOwner(actor(), person(at('acme', ADMIN), at('acme', meant(null))))).toBe(true);
    expect(mayActOnOwner(actor(), person())).toBe(true);
  });

  it('only the Owner binding of the person is compared: their other roles lower down do not open them to lower Owners', () => {
    const ownerWithDepartment = person(at('acme', OWNER), at('finance', ADMIN));
    expect(mayActOnOwner(actor(at('berlin', OWNER)), ownerWithDepartment)).toBe(false);
    expect(mayActOnOwner(actor(at('reseller', OWNER)), ownerWithDepartment)).toBe(true);
  });
});

const GROUPS = Object.keys(PATH) as Group[];
const meanings = fc.constantFrom<RoleMeaning | null>('owner', 'admin', null);
const bindingsArb = fc.array(fc.record({ at: fc.constantFrom(...GROUPS), meaning: meanings }), { maxLength: 4 });

describe('mayActOnOwner properties (R10)', () => {
  it('agrees with the rule written out: every Owner binding of the person has an actor Owner binding strictly above it', () => {
    fc.assert(
      fc.property(bindingsArb, bindingsArb, fc.boolean(), (a, p, same) => {
        const actorBindings = a.map((b) => at(b.at, meant(b.meaning)));
        const personBindings = p.map((b) => at(b.at, meant(b.meaning)));
        const expected =
          same ||
          p
            .filter((b) => b.meaning === 'owner')
            .every((o) => a.some((x) => x.meaning === 'owner' && PATH[o.at].indexOf(x.at as never) > 0));
        expect(mayActOnOwner({ userId: same ? 'person' : 'actor', bindings: actorBindings }, person(...personBindings))).toBe(expected);
      }),
    );
  });

  it('the Owner of the person’s own company never counts as above it, whatever else the actor holds beside or below', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GROUPS), bindingsArb, (company, extra) => {
        const notAbove = extra
          .filter((b) => !(PATH[company] as readonly string[]).includes(b.at) || b.at === company)
          .map((b) => at(b.at, meant(b.meaning)));
        expect(mayActOnOwner(actor(at(company, OWNER), ...notAbove), person(at(company, OWNER)))).toBe(false);
      }),
    );
  });
});
