import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore } from '../../main/features/auth/sessions';
import { codeFor, manualClock, OWNER, setUpOwner, tempSteward, tokenOf, type TestSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

const STEP = 30_000;
const open: Array<{ cleanup(): void }> = [];
afterEach(() => open.splice(0).forEach((s) => s.cleanup()));

const signedIn = async (steward: TestSteward, token: string) => {
  const status = await steward.call('auth.status', {}, token);
  return status.result.ok ? (status.result.value as { session: unknown }).session !== null : false;
};

/** The Owner signed in twice: `token` here, `other` on a second device, plus one half-way (password only). */
async function twoDevices() {
  const clock = manualClock();
  const steward = tempSteward({ clock });
  open.push(steward);
  const { token, secret } = await setUpOwner(steward, clock);
  const ownerId = (steward.db.prepare('SELECT id FROM users').get() as { id: string }).id;
  const store = new SessionStore(steward.db);
  store.create('second-device', ownerId, 'active', 'web', clock.now());
  store.create('password-only', ownerId, 'mfa', 'web', clock.now());
  return { steward, clock, token, secret, ownerId, others: ['second-device', 'password-only'] };
}

describe("a person's other sessions end when their credentials change", () => {
  it("replacing one's authenticator ends one's other sessions and keeps this one", async () => {
    const { steward, clock, token, others } = await twoDevices();
    const begin = await steward.call('auth.beginEnrollment', {}, token);
    const { secret } = (begin.result.ok ? begin.result.value : { secret: '' }) as { secret: string };
    const confirm = await steward.call(
      'auth.confirmEnrollment',
      { code: await codeFor(secret, clock.now()), currentPassword: OWNER.password },
      token,
    );
    expect(confirm.result).toMatchObject({ ok: true, value: { stage: 'active' } });
    expect(await signedIn(steward, tokenOf(confirm))).toBe(true);
    for (const other of others) expect(await signedIn(steward, other)).toBe(false);
    expect(steward.count('sessions')).toBe(1);
  });

  it('a refused authenticator replacement ends no session', async () => {
    const { steward, clock, token, others } = await twoDevices();
    const begin = await steward.call('auth.beginEnrollment', {}, token);
    const { secret } = (begin.result.ok ? begin.result.value : { secret: '' }) as { secret: string };
    const good = await codeFor(secret, clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect((await steward.call('auth.confirmEnrollment', { code: wrong, currentPassword: OWNER.password }, token)).result.ok).toBe(false);
    for (const other of others) expect(await signedIn(steward, other)).toBe(true);
  });

  it("regenerating one's recovery codes ends one's other sessions and keeps this one", async () => {
    const { steward, clock, token, secret, others } = await twoDevices();
    const regenerated = await steward.call('auth.regenerateRecoveryCodes', { code: await codeFor(secret, clock.now() + STEP) }, token);
    expect(regenerated.result).toMatchObject({ ok: true });
    expect(await signedIn(steward, token)).toBe(true);
    for (const other of others) expect(await signedIn(steward, other)).toBe(false);
  });

  it("changing one's password ends one's other sessions, half-signed-in ones too, and keeps this one", async () => {
    const { steward, token, others } = await twoDevices();
    const changed = await steward.call(
      'auth.changePassword',
      { currentPassword: OWNER.password, newPassword: 'another long passphrase' },
      token,
    );
    expect(changed.result).toMatchObject({ ok: true });
    expect(await signedIn(steward, token)).toBe(true);
    for (const other of others) expect(await signedIn(steward, other)).toBe(false);
  });

  it("an administrator's MFA reset or password reset ends every session of that person", async () => {
    const w = new World();
    open.push(w);
    const admin = w.user('admin', w.rootId);
    w.bind(admin, ROLE.admin, w.rootId);
    const operator = w.user('operator', w.rootId);
    w.bind(operator, ROLE.operator, w.rootId);
    w.steward.db.prepare('UPDATE users SET totp_secret = ? WHERE id = ?').run(Buffer.from('x'), operator);
    const first = w.session(operator);
    await w.ok(admin, 'users.resetMfa', { id: operator });
    expect(await signedIn(w.steward, first)).toBe(false);
    const second = w.session(operator);
    await w.ok(admin, 'users.resetPassword', { id: operator });
    expect(await signedIn(w.steward, second)).toBe(false);
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(operator)).toEqual({ n: 0 });
  });
});
