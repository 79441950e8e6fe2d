import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInAtProvider } from '../helpers/oidc-browser';
import { ssoConfigFor, startIdp, type TestIdp } from '../helpers/oidc-idp';
import { ROLE, World } from '../helpers/world';

/**
 * R28, who may list an email domain for single sign-on, and whom the sign-in page sends to a
 * company's provider. Against a real provider (oidc-provider on loopback): sso.configure reads
 * its discovery document, and a moved person's sign-in runs through its login form.
 */
const REDIRECT = 'http://127.0.0.1:43918/callback';
const BINDING = 'browser-binding-value-1';

let idp: TestIdp;

beforeAll(async () => {
  idp = await startIdp({ accounts: { dave: { password: 'pw-dave', email: 'dave@contoso.test' } } });
});
afterAll(() => idp.close());

interface Tenants {
  w: World;
  contoso: string;
  paris: string;
  adam: string;
  dave: string;
  fabrikam: string;
  fred: string;
}

/** Contoso, a reseller (its Admin Adam; Dave at its Paris location), and the customer Fabrikam beside it (its Admin Fred). */
function tenants(): Tenants {
  const w = new World();
  const person = (name: string, email: string, home: string, options: { kind?: 'member' | 'external' } = {}) => {
    const id = w.user(name, home, options);
    w.steward.db.prepare('UPDATE users SET email = ?, username = ? WHERE id = ?').run(email, name, id);
    return id;
  };
  // A reseller: Paris can then become a customer of its own, the way a person leaves a company's people.
  const contoso = w.group(w.rootId, 'reseller', 'Contoso');
  const paris = w.group(contoso, 'location', 'Paris');
  w.bind(person('carol', 'carol@contoso.test', contoso), ROLE.owner, contoso);
  const adam = person('adam', 'adam@contoso.test', contoso);
  w.bind(adam, ROLE.admin, contoso);
  const dave = person('dave', 'dave@contoso.test', paris);
  w.bind(dave, ROLE.operator, contoso);
  const fabrikam = w.group(w.rootId, 'customer', 'Fabrikam');
  w.bind(person('fiona', 'fiona@fabrikam.test', fabrikam), ROLE.owner, fabrikam);
  const fred = person('fred', 'fred@fabrikam.test', fabrikam);
  w.bind(fred, ROLE.admin, fabrikam);
  person('eve', 'eve@shared.test', fabrikam, { kind: 'external' });
  return { w, contoso, paris, adam, dave, fabrikam, fred };
}

const stored = (w: World) =>
  w.steward.db.prepare('SELECT company_id, allowed_domains, version FROM sso_providers ORDER BY company_id').all();

async function offered(w: World, email: string): Promise<string[]> {
  const outcome = await w.steward.call('auth.ssoOptions', { email });
  if (!outcome.result.ok) throw new Error(JSON.stringify(outcome.result.error));
  return (outcome.result.value as { providers: Array<{ providerId: string }> }).providers.map((p) => p.providerId);
}

describe('R28: a company lists only an email domain whose people are its own', () => {
  let t: Tenants;
  beforeEach(() => {
    t = tenants();
    return () => t.w.cleanup();
  });

  it('stores one spelling whatever the case, a Unicode (IDN) form or a trailing dot, and the same domain once', async () => {
    const saved = await t.w.ok<{ allowedDomains: string[] }>(
      t.adam,
      'sso.configure',
      ssoConfigFor(idp, t.contoso, { allowedDomains: ['Contoso.TEST.', 'Bücher.test', 'xn--bcher-kva.test', 'contoso.test'] }),
    );
    expect(saved.allowedDomains).toEqual(['contoso.test', 'xn--bcher-kva.test']);
    expect(await offered(t.w, 'someone@XN--BCHER-KVA.test')).toEqual([t.contoso]);
  });

  it('refuses a domain another company lists, in any of its spellings (CONFLICT), naming the field and the rule, not the company', async () => {
    await t.w.ok(t.adam, 'sso.configure', ssoConfigFor(idp, t.contoso, { allowedDomains: ['contoso.test', 'bücher.test'] }));
    const before = stored(t.w);
    for (const [domains, field] of [
      [['fabrikam.test', 'CONTOSO.test.'], 'allowedDomains.1'],
      [['BÜCHER.TEST'], 'allowedDomains.0'],
      [['fabrikam.test', 'xn--bcher-kva.test'], 'allowedDomains.1'],
    ] as const) {
      const refused = await t.w.call(t.fred, 'sso.configure', ssoConfigFor(idp, t.fabrikam, { allowedDomains: domains }));
      expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field, message: expect.stringContaining('(R28)') } });
      expect(JSON.stringify(refused)).not.toMatch(/Contoso|adam|carol/);
    }
    expect(stored(t.w)).toEqual(before);
  });

  it('refuses a domain someone outside the company has an email at, member or external user, without naming them', async () => {
    await t.w.ok(t.adam, 'sso.configure', ssoConfigFor(idp, t.contoso, { allowedDomains: ['contoso.test'] }));
    const before = stored(t.w);
    // Eve, an external user of Fabrikam, has eve@shared.test; Fiona, its Owner, fiona@fabrikam.test.
    for (const [domains, field] of [
      [['contoso.test', 'Shared.Test'], 'allowedDomains.1'],
      [['FABRIKAM.test.'], 'allowedDomains.0'],
    ] as const) {
      const refused = await t.w.call(t.adam, 'sso.configure', ssoConfigFor(idp, t.contoso, { baseVersion: 1, allowedDomains: domains }));
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', field, message: expect.stringMatching(/People outside this company .* \(R28\)/) },
      });
      expect(JSON.stringify(refused)).not.toMatch(/eve|fiona|Fabrikam/);
    }
    expect(stored(t.w)).toEqual(before);
    expect(await offered(t.w, 'eve@shared.test')).toEqual([]);
    expect(await offered(t.w, 'fiona@fabrikam.test')).toEqual([]);
  });

  it('lets a company above list a domain of people in its subtree; the people of a company below are still not routed to it', async () => {
    const reseller = t.w.group(t.w.rootId, 'reseller', 'Res');
    const acme = t.w.group(reseller, 'customer', 'Acme');
    const rita = t.w.user('rita', reseller);
    t.w.bind(rita, ROLE.admin, reseller);
    const amy = t.w.user('amy', acme);
    t.w.steward.db.prepare("UPDATE users SET email = 'amy@res.test' WHERE id = ?").run(amy);
    await t.w.ok(rita, 'sso.configure', ssoConfigFor(idp, reseller, { allowedDomains: ['res.test'] }));
    // Acme's people sign in through Acme's own provider, if any (R28: a provider signs in only its company's people).
    expect(await offered(t.w, 'amy@res.test')).toEqual([]);
    expect(await offered(t.w, 'rita-to-be@res.test')).toEqual([reseller]);
  });

  it('refuses what is no domain, naming the field', async () => {
    for (const [domains, field] of [
      [['not a domain'], 'allowedDomains.0'],
      [['contoso.test', '-contoso.test'], 'allowedDomains.1'],
      [['192.168.1.20'], 'allowedDomains.0'],
      [['under_score.test'], 'allowedDomains.0'],
      [['contoso'], 'allowedDomains.0'],
    ] as const) {
      expect(await t.w.call(t.adam, 'sso.configure', ssoConfigFor(idp, t.contoso, { allowedDomains: domains }))).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field },
      });
    }
    expect(t.w.steward.count('sso_providers')).toBe(0);
  });
});

describe('R28: the sign-in page and the provider route only the company’s own people', () => {
  let t: Tenants;
  beforeEach(async () => {
    t = tenants();
    await t.w.ok(t.adam, 'sso.configure', ssoConfigFor(idp, t.contoso, { allowedDomains: ['contoso.test'] }));
    return () => t.w.cleanup();
  });

  it('offers the provider to the company’s people, and to an address without an account (the page tells no account apart)', async () => {
    expect(await offered(t.w, 'dave@contoso.test')).toEqual([t.contoso]);
    expect(await offered(t.w, 'DAVE@Contoso.Test')).toEqual([t.contoso]);
    expect(await offered(t.w, 'nobody@contoso.test')).toEqual([t.contoso]);
    expect(await offered(t.w, 'fred@fabrikam.test')).toEqual([]);
  });

  it('a person another company adds later at the domain is made, never routed to this provider, and freezes nothing', async () => {
    const zed = await t.w.ok<{ id: string }>(t.fred, 'users.create', {
      username: 'zed',
      email: 'zed@contoso.test',
      homeGroupId: t.fabrikam,
      bindings: [{ roleId: ROLE.viewer, groupId: t.fabrikam }],
    });
    expect(zed.id).toBeTruthy();
    expect(await offered(t.w, 'zed@contoso.test')).toEqual([]);
    expect(await offered(t.w, 'ZED@CONTOSO.TEST')).toEqual([]);
    // The domain Contoso listed before is not checked again: it still saves its settings.
    expect(
      await t.w.ok(
        t.adam,
        'sso.configure',
        ssoConfigFor(idp, t.contoso, { baseVersion: 1, enforced: true, allowedDomains: ['contoso.test'] }),
      ),
    ).toMatchObject({ allowedDomains: ['contoso.test'], enforced: true, version: 2 });
  });

  it('a person moved out of the company after the claim is neither offered nor signed in by its provider, linked before or not', async () => {
    const start = async () => {
      const outcome = await t.w.steward.call('auth.ssoBegin', { providerId: t.contoso, redirectUri: REDIRECT, binding: BINDING });
      if (!outcome.result.ok) throw new Error(JSON.stringify(outcome.result.error));
      const callbackUrl = await signInAtProvider(
        (outcome.result.value as { authorizationUrl: string }).authorizationUrl,
        REDIRECT,
        'dave',
        'pw-dave',
      );
      return t.w.steward.call('auth.ssoComplete', { callbackUrl, binding: BINDING });
    };
    // Linked while Dave is Contoso's.
    expect((await start()).result).toMatchObject({ ok: true, value: { user: { id: t.dave } } });
    expect(t.w.steward.count('sso_identities')).toBe(1);
    // The provider's Owner makes Paris a customer of its own: Dave is no longer one of Contoso's people...
    await t.w.ok(t.w.ownerId, 'groups.update', { id: t.paris, baseVersion: t.w.version('group', t.paris), kind: 'customer' });
    expect(await offered(t.w, 'dave@contoso.test')).toEqual([]);
    expect((await start()).result).toMatchObject({ ok: false, error: { code: 'SSO_FAILED' } });
    // ...and moves it beside Contoso: Dave is now outside its subtree, and Contoso's claim is stale.
    await t.w.ok(t.w.ownerId, 'groups.move', { id: t.paris, parentId: t.w.rootId });
    expect(await offered(t.w, 'dave@contoso.test')).toEqual([]);
    const after = await start();
    expect(after.result).toMatchObject({
      ok: false,
      error: { code: 'SSO_FAILED', message: expect.stringContaining('no account at this company') },
    });
    expect(after.session).toBeUndefined();
    // Nor by the email, once the link is gone.
    t.w.steward.db.prepare('DELETE FROM sso_identities').run();
    const unlinked = await start();
    expect(unlinked.result).toMatchObject({
      ok: false,
      error: { code: 'SSO_FAILED', message: expect.stringContaining('no Steward account at this company') },
    });
    expect(unlinked.session).toBeUndefined();
  });
});
