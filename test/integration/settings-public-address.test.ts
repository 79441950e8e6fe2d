import { afterEach, describe, expect, it } from 'vitest';
import type { InvitationSent, SettingsView } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Issue 16: invitation links carry the address people reach Steward at, on desktop, web console and hub alike. */
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function world() {
  const w = new World();
  cleanups.push(() => w.cleanup());
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const admin = w.user('acme-admin', acme);
  w.bind(admin, ROLE.owner, acme);
  return { w, acme, admin };
}

const setAddress = (w: World, publicAddress: string) =>
  w.call<SettingsView>(w.ownerId, 'settings.update', { baseVersion: w.version('settings'), publicAddress });

describe('the public address setting', () => {
  it('a desktop call (no origin) links to 127.0.0.1:4780 until the address is set, then to it; clearing it goes back', async () => {
    const { w, acme, admin } = world();
    const invite = async (email: string) =>
      (await w.ok<InvitationSent>(admin, 'invitations.create', { email, roleId: ROLE.viewer, groupId: acme })).link ?? '';
    expect(await invite('a@acme.test')).toMatch(/^http:\/\/127\.0\.0\.1:4780\/#\/invite\/[\w-]+$/);

    const saved = await setAddress(w, ' https://steward.acme.test/console/ ');
    expect(saved).toMatchObject({ ok: true, value: { publicAddress: 'https://steward.acme.test/console' } });
    expect(await invite('b@acme.test')).toMatch(/^https:\/\/steward\.acme\.test\/console\/#\/invite\/[\w-]+$/);

    expect((await setAddress(w, '')).ok).toBe(true);
    expect(await invite('c@acme.test')).toMatch(/^http:\/\/127\.0\.0\.1:4780\/#\/invite\//);
  });

  it.each([
    ['ftp://steward.acme.test', /starting with https:\/\/ or http:\/\//],
    ['steward.acme.test', /starting with https:\/\/ or http:\/\//],
    ['https://user:secret@steward.acme.test', /user name, password/],
    ['https://steward.acme.test/?x=1', /query/],
  ])('refuses %s on the field publicAddress, changing nothing', async (address, message) => {
    const { w } = world();
    const refused = await setAddress(w, address);
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'publicAddress', message } });
    expect((await w.ok<SettingsView>(w.ownerId, 'settings.get', {})).publicAddress).toBeNull();
  });

  it('a web console call links to the origin it was reached at, and to the public address once set', async () => {
    const { w, acme, admin } = world();
    // What the HTTP transport passes: the console's own origin (main/transports/http/server.ts).
    const origin = 'http://127.0.0.1:51234';
    const invite = async (email: string) => {
      const out = await w.steward.dispatcher.dispatch(
        'invitations.create',
        { email, roleId: ROLE.viewer, groupId: acme },
        { token: w.session(admin), client: 'web', origin, source: 'ip:127.0.0.1' },
      );
      return out.result.ok ? ((out.result.value as InvitationSent).link ?? '') : out.result.error.message;
    };
    expect(await invite('d@acme.test')).toMatch(/^http:\/\/127\.0\.0\.1:51234\/#\/invite\//);
    await setAddress(w, 'https://steward.acme.test');
    expect(await invite('e@acme.test')).toMatch(/^https:\/\/steward\.acme\.test\/#\/invite\//);
  });
});
