import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/features/audit/audit-log';
import { codeFor, manualClock, OWNER, setUpOwner, tempDir, tempSteward, tokenOf, type TestSteward } from '../helpers/temp-steward';

const STEP = 30_000;
const open: TestSteward[] = [];
afterEach(() => open.splice(0).forEach((s) => s.cleanup()));

function fresh(options: Parameters<typeof tempSteward>[0] = {}) {
  const steward = tempSteward(options);
  open.push(steward);
  return steward;
}

const errorOf = (outcome: Awaited<ReturnType<TestSteward['call']>>) => (outcome.result.ok ? null : outcome.result.error);

describe('first run and enrollment', () => {
  it('creates the provider root and a protected Owner, then requires enrollment before anything else', async () => {
    const steward = fresh();
    const status = await steward.call('auth.status', {});
    expect(status.result).toMatchObject({ ok: true, value: { setupRequired: true, session: null } });
    const setup = await steward.call('auth.setup', OWNER);
    expect(setup.result).toMatchObject({ ok: true, value: { stage: 'enroll', user: { username: 'owner' } } });
    const token = tokenOf(setup);
    expect(steward.db.prepare('SELECT kind, name FROM groups WHERE parent_id IS NULL').get()).toEqual({
      kind: 'provider',
      name: OWNER.rootGroupName,
    });
    expect(steward.db.prepare('SELECT protected FROM users').get()).toEqual({ protected: 1 });
    expect(
      errorOf(await steward.call('auth.changePassword', { currentPassword: OWNER.password, newPassword: 'x'.repeat(20) }, token)),
    ).toMatchObject({
      code: 'WRONG_STAGE',
    });
    expect(errorOf(await steward.call('auth.setup', { ...OWNER, username: 'second' }))).toMatchObject({ code: 'SETUP_DONE' });
  });

  it('seed-000: MFA is mandatory: signing in without an authenticator leads to enrollment, not a session', async () => {
    const steward = fresh();
    await steward.call('auth.setup', OWNER);
    const signIn = await steward.call('auth.signIn', { login: OWNER.username, password: OWNER.password });
    expect(signIn.result).toMatchObject({ ok: true, value: { stage: 'enroll' } });
  });

  it('refuses a wrong enrollment code, stores the key encrypted, and hands out ten recovery codes once', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const token = tokenOf(await steward.call('auth.setup', OWNER));
    expect(errorOf(await steward.call('auth.confirmEnrollment', { code: '123456' }, token))).toMatchObject({
      code: 'ENROLLMENT_NOT_STARTED',
    });
    const begin = await steward.call('auth.beginEnrollment', {}, token);
    const { secret, otpauthUri, qrSvg } = (begin.result.ok ? begin.result.value : {}) as {
      secret: string;
      otpauthUri: string;
      qrSvg: string;
    };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrSvg).toMatch(/^<svg/);
    const good = await codeFor(secret, clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect(errorOf(await steward.call('auth.confirmEnrollment', { code: wrong }, token))).toMatchObject({
      code: 'INVALID_CODE',
      field: 'code',
    });
    expect(errorOf(await steward.call('auth.confirmEnrollment', { code: 'abc' }, token))).toMatchObject({
      code: 'VALIDATION',
      field: 'code',
    });
    const confirm = await steward.call('auth.confirmEnrollment', { code: good }, token);
    expect(confirm.result).toMatchObject({ ok: true, value: { stage: 'active' } });
    expect((confirm.result.ok ? (confirm.result.value as { recoveryCodes: string[] }) : { recoveryCodes: [] }).recoveryCodes).toHaveLength(
      10,
    );
    const stored = steward.db.prepare<[], { totp_secret: Buffer }>('SELECT totp_secret FROM users').get();
    expect(stored?.totp_secret.includes(Buffer.from(secret))).toBe(false);
    // The pre-enrollment token no longer works: the session was re-issued on promotion.
    expect(errorOf(await steward.call('auth.status', {}, token))).toBeNull();
    expect((await steward.call('auth.status', {}, token)).result).toMatchObject({ ok: true, value: { session: null } });
  });
});

describe('sign-in', () => {
  it('password then code; a code is never accepted twice; a wrong code is refused', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const { secret } = await setUpOwner(steward, clock);
    clock.advance(STEP);
    const mfaToken = tokenOf(await steward.call('auth.signIn', { login: OWNER.email.toUpperCase(), password: OWNER.password }));
    const code = await codeFor(secret, clock.now());
    const wrong = code === '000000' ? '111111' : '000000';
    expect(errorOf(await steward.call('auth.verifyCode', { code: wrong }, mfaToken))).toMatchObject({ code: 'INVALID_CODE' });
    const verified = await steward.call('auth.verifyCode', { code }, mfaToken);
    expect(verified.result).toMatchObject({ ok: true, value: { stage: 'active' } });
    const second = tokenOf(await steward.call('auth.signIn', { login: OWNER.username, password: OWNER.password }));
    expect(errorOf(await steward.call('auth.verifyCode', { code }, second))).toMatchObject({ code: 'CODE_REUSED' });
  });

  it('answers an unknown account and a wrong password identically', async () => {
    const steward = fresh();
    await setUpOwner(steward);
    const unknown = await steward.call('auth.signIn', { login: 'nobody', password: OWNER.password });
    const wrong = await steward.call('auth.signIn', { login: OWNER.username, password: 'not the password at all' });
    expect(unknown.result).toEqual(wrong.result);
    expect(errorOf(unknown)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('a recovery code works once', async () => {
    const steward = fresh();
    const { recoveryCodes } = await setUpOwner(steward);
    const recovery = recoveryCodes[3] ?? '';
    const first = tokenOf(await steward.call('auth.signIn', { login: OWNER.username, password: OWNER.password }));
    expect((await steward.call('auth.verifyCode', { recoveryCode: recovery.toLowerCase() }, first)).result).toMatchObject({ ok: true });
    const again = tokenOf(await steward.call('auth.signIn', { login: OWNER.username, password: OWNER.password }));
    expect(errorOf(await steward.call('auth.verifyCode', { recoveryCode: recovery }, again))).toMatchObject({
      code: 'INVALID_CODE',
      field: 'recoveryCode',
    });
    expect(errorOf(await steward.call('auth.verifyCode', { code: '123456', recoveryCode: recovery }, again))).toMatchObject({
      code: 'VALIDATION',
    });
  });

  // Eleven scrypt runs: seconds each on a busy machine, hence the longer limit.
  it('throttles failed passwords and keeps the lock across a restart; unknown logins throttle alike', async () => {
    const temp = tempDir();
    const clock = manualClock();
    const first = tempSteward({ dir: temp.dir, clock });
    try {
      await setUpOwner(first, clock);
      for (let i = 0; i < 4; i++) {
        expect(errorOf(await first.call('auth.signIn', { login: 'owner', password: `wrong password ${i}` }))).toMatchObject({
          code: 'INVALID_CREDENTIALS',
        });
        expect(errorOf(await first.call('auth.signIn', { login: 'ghost', password: `wrong password ${i}` }))).toMatchObject({
          code: 'INVALID_CREDENTIALS',
        });
      }
      const fifth = errorOf(await first.call('auth.signIn', { login: 'owner', password: 'wrong password 5' }));
      const ghostFifth = errorOf(await first.call('auth.signIn', { login: 'ghost', password: 'wrong password 5' }));
      expect(fifth).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 30 });
      expect(ghostFifth).toEqual(fifth);
    } finally {
      first.close();
    }
    const second = tempSteward({ dir: temp.dir, clock });
    try {
      expect(errorOf(await second.call('auth.signIn', { login: 'owner', password: OWNER.password }))).toMatchObject({ code: 'THROTTLED' });
      clock.advance(31_000);
      expect((await second.call('auth.signIn', { login: 'owner', password: OWNER.password })).result).toMatchObject({ ok: true });
    } finally {
      second.close();
      temp.remove();
    }
  }, 120_000);

  it('throttles wrong codes too', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const { secret } = await setUpOwner(steward, clock);
    const token = tokenOf(await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }));
    const good = await codeFor(secret, clock.now() + STEP);
    const wrong = good === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(errorOf(await steward.call('auth.verifyCode', { code: wrong }, token))?.code);
    expect(answers).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'THROTTLED']);
    expect(errorOf(await steward.call('auth.verifyCode', { code: good }, token))).toMatchObject({ code: 'THROTTLED' });
  });
});

describe('sessions', () => {
  it('lock after the idle timeout (15 minutes by default) and say so', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const { token } = await setUpOwner(steward, clock);
    clock.advance(14 * 60_000);
    expect((await steward.call('auth.status', {}, token)).result).toMatchObject({ ok: true, value: { session: { stage: 'active' } } });
    clock.advance(15 * 60_000 + 1000);
    const locked = await steward.call('auth.signOut', {}, token);
    expect(errorOf(locked)).toMatchObject({ code: 'SESSION_EXPIRED', message: expect.stringMatching(/15 minutes/) });
    expect(locked.session).toEqual({ kind: 'clear' });
    expect(steward.count('sessions')).toBe(0);
  });

  it('sign-out ends the session', async () => {
    const steward = fresh();
    const { token } = await setUpOwner(steward);
    expect((await steward.call('auth.signOut', {}, token)).session).toEqual({ kind: 'clear' });
    expect(errorOf(await steward.call('auth.signOut', {}, token))).toMatchObject({
      code: 'SESSION_EXPIRED',
      message: 'Your session has ended. Sign in again.',
    });
  });

  it('changing the password checks the current one, refuses weak ones, and ends other sessions', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const { token, secret } = await setUpOwner(steward, clock);
    clock.advance(STEP);
    const other = tokenOf(await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }));
    const otherActive = tokenOf(await steward.call('auth.verifyCode', { code: await codeFor(secret, clock.now()) }, other));
    expect(
      errorOf(await steward.call('auth.changePassword', { currentPassword: 'wrong one', newPassword: 'a brand new passphrase' }, token)),
    ).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      field: 'currentPassword',
    });
    expect(
      errorOf(await steward.call('auth.changePassword', { currentPassword: OWNER.password, newPassword: 'password1234' }, token)),
    ).toMatchObject({
      code: 'WEAK_PASSWORD',
      field: 'newPassword',
    });
    expect(errorOf(await steward.call('auth.changePassword', { currentPassword: OWNER.password }, token))).toMatchObject({
      code: 'VALIDATION',
      field: 'newPassword',
    });
    expect(
      (await steward.call('auth.changePassword', { currentPassword: OWNER.password, newPassword: 'a brand new passphrase' }, token)).result,
    ).toMatchObject({ ok: true });
    expect((await steward.call('auth.status', {}, otherActive)).result).toMatchObject({ ok: true, value: { session: null } });
    expect((await steward.call('auth.signIn', { login: 'owner', password: 'a brand new passphrase' })).result).toMatchObject({ ok: true });
  });
});

describe('audit', () => {
  it('records every command in a verifiable chain, and never a password, code, key or recovery code', async () => {
    const clock = manualClock();
    const steward = fresh({ clock });
    const { secret, recoveryCodes } = await setUpOwner(steward, clock);
    await steward.call('auth.signIn', { login: 'owner', password: 'wrong password here' });
    const token = tokenOf(await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }));
    await steward.call('auth.verifyCode', { recoveryCode: recoveryCodes[0] }, token);
    const rows = steward.db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => `${String(r.action)}:${String(r.outcome)}`)).toEqual([
      'auth.setup:success',
      'auth.mfa.enrollmentStarted:success',
      'auth.mfa.enrolled:success',
      'auth.signIn:denied',
      'auth.signIn.password:success',
      'auth.verifyCode:success',
    ]);
    const text = JSON.stringify(rows);
    for (const canary of [OWNER.password, 'wrong password here', secret, ...recoveryCodes]) expect(text).not.toContain(canary);
    expect(new AuditLog(steward.db).verify()).toMatchObject({ broken: null, checked: rows.length });
  });
});
