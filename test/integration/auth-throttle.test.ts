import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore } from '../../main/features/auth/sessions';
import { codeFor, manualClock, OWNER, setUpOwner, tempSteward, type TestSteward } from '../helpers/temp-steward';

// Password checks cost a real scrypt run each (seconds on a busy machine); codes are cheap,
// so the long scenarios guess codes. Both kinds go through the same throttle.
const SLOW = 120_000;
const STEP = 30_000;
const MINUTE = 60_000;
const open: TestSteward[] = [];
afterEach(() => open.splice(0).forEach((s) => s.cleanup()));

const errorOf = (outcome: Awaited<ReturnType<TestSteward['call']>>) => (outcome.result.ok ? null : outcome.result.error);

async function owner() {
  const clock = manualClock();
  const steward = tempSteward({ clock });
  open.push(steward);
  const enrolled = await setUpOwner(steward, clock);
  const ownerId = (steward.db.prepare('SELECT id FROM users').get() as { id: string }).id;
  let n = 0;
  /** A session past the password step, as a completed `auth.signIn` leaves it (without paying for scrypt). */
  const mfaSession = () => {
    const token = `mfa-${++n}`;
    new SessionStore(steward.db).create(token, ownerId, 'mfa', 'cli', clock.now());
    return token;
  };
  const wrongCode = async () => ((await codeFor(enrolled.secret, clock.now())) === '000000' ? '111111' : '000000');
  /** A code the authenticator shows one step from now: accepted (within tolerance) and never used before. */
  const goodCode = () => codeFor(enrolled.secret, clock.now() + STEP);
  const deniedAudits = (action: string) =>
    steward.db.prepare("SELECT error_code AS code FROM audit_events WHERE action = ? AND outcome = 'denied' ORDER BY seq").all(action);
  return { steward, clock, ownerId, mfaSession, wrongCode, goodCode, deniedAudits, ...enrolled };
}

describe('throttling by source', () => {
  it(
    'wrong passwords from one source lock that source only: the Owner still signs in from another',
    async () => {
      const { steward } = await owner();
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(errorOf(await steward.call('auth.signIn', { login: 'owner', password: `guess ${i}` }, null, 'ip:127.0.0.9'))?.code);
      }
      expect(answers).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'THROTTLED']);
      expect(errorOf(await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }, null, 'ip:127.0.0.9'))).toMatchObject({
        code: 'THROTTLED',
      });
      const elsewhere = await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }, null, 'ipc');
      expect(elsewhere.result).toMatchObject({ ok: true, value: { stage: 'mfa' } });
    },
    SLOW,
  );

  it('a source guessing whenever its lock lifts, for six hours, never locks the person at another source', async () => {
    const { steward, clock, mfaSession, wrongCode, goodCode } = await owner();
    const attacker = 'ip:127.0.0.66';
    let guesses = 0;
    const end = clock.now() + 6 * 60 * MINUTE;
    while (clock.now() < end) {
      const answer = errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), attacker));
      // A guess that was checked says the code is wrong (and, when it locked the source, for how long).
      if (answer?.message.startsWith('That code is not right')) guesses++;
      clock.advance(answer?.code === 'THROTTLED' ? (answer.retryAfterSeconds ?? 1) * 1000 : 1000);
    }
    // About 10 in the first quarter hour, then about 4 an hour.
    expect(guesses).toBeGreaterThan(20);
    expect(guesses).toBeLessThan(45);
    expect(errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), attacker))).toMatchObject({
      code: 'THROTTLED',
    });
    const person = await steward.call('auth.verifyCode', { code: await goodCode() }, mfaSession(), 'ip:127.0.0.1');
    expect(person.result).toMatchObject({ ok: true, value: { stage: 'active' } });
  });

  it('failures decay: each one stops counting 15 minutes later, so a source that stops failing gets its 4 free tries back', async () => {
    const { steward, clock, mfaSession, wrongCode } = await owner();
    const source = 'ip:127.0.0.5';
    const answers = async (count: number) => {
      const out = [];
      for (let i = 0; i < count; i++)
        out.push(errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), source))?.code);
      return out;
    };
    expect(await answers(5)).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'THROTTLED']);
    clock.advance(15 * MINUTE);
    // One failure has leaked out: the next one locks again, for the first lock's 30 s, not a doubled one.
    expect(errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), source))).toMatchObject({
      code: 'THROTTLED',
      retryAfterSeconds: 30,
    });
    clock.advance(5 * 15 * MINUTE);
    expect(await answers(5)).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'THROTTLED']);
  });

  it('the per-account ceiling stops guessing spread over many sources, for every network source but not the desktop window', async () => {
    const { steward, mfaSession, wrongCode, goodCode } = await owner();
    const answers = [];
    for (let i = 0; i < 30; i++) {
      const source = `ip:10.0.${Math.floor(i / 3)}.${i % 3}`;
      answers.push(errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), source))?.code);
    }
    expect(answers.slice(0, 29).every((code) => code === 'INVALID_CODE')).toBe(true);
    expect(answers[29]).toBe('THROTTLED');
    const fresh = mfaSession();
    const code = await goodCode();
    expect(errorOf(await steward.call('auth.verifyCode', { code }, fresh, 'ip:10.9.9.9'))).toMatchObject({ code: 'THROTTLED' });
    expect(new SessionStore(steward.db).find(fresh)?.stage).toBe('mfa');
    const desk = mfaSession();
    expect((await steward.call('auth.verifyCode', { code }, desk, 'ipc')).result).toMatchObject({ ok: true, value: { stage: 'active' } });
  });
});

describe('every secret check is throttled and audited', () => {
  it(
    "replacing one's authenticator counts a wrong current password like sign-in does, and records each failure",
    async () => {
      const { steward, clock, token } = await owner();
      const before = steward.db.prepare('SELECT totp_secret FROM users').get();
      const begin = await steward.call('auth.beginEnrollment', {}, token);
      const newSecret = (begin.result.ok ? begin.result.value : { secret: '' }) as { secret: string };
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const outcome = await steward.call(
          'auth.confirmEnrollment',
          { code: await codeFor(newSecret.secret, clock.now()), currentPassword: `wrong password ${i}` },
          token,
          'ip:127.0.0.1',
        );
        answers.push(errorOf(outcome)?.code);
      }
      expect(answers).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'THROTTLED']);
      const right = await steward.call(
        'auth.confirmEnrollment',
        { code: await codeFor(newSecret.secret, clock.now()), currentPassword: OWNER.password },
        token,
        'ip:127.0.0.1',
      );
      expect(errorOf(right)).toMatchObject({ code: 'THROTTLED', field: 'currentPassword' });
      // The same password throttle as sign-in, from the same source.
      expect(errorOf(await steward.call('auth.signIn', { login: 'owner', password: OWNER.password }, null, 'ip:127.0.0.1'))).toMatchObject({
        code: 'THROTTLED',
      });
      expect(steward.db.prepare('SELECT totp_secret FROM users').get()).toEqual(before);
      const denied = steward.db
        .prepare("SELECT error_code AS code FROM audit_events WHERE action = 'auth.mfa.enrolled' AND outcome = 'denied' ORDER BY seq")
        .all();
      expect(denied).toEqual([...Array(4).fill({ code: 'INVALID_CREDENTIALS' }), { code: 'THROTTLED' }, { code: 'THROTTLED' }]);
    },
    SLOW,
  );

  it('recovery codes, regenerating them and the enrollment code share the code throttle, and each failure is recorded', async () => {
    const { steward, mfaSession, wrongCode, goodCode, token, recoveryCodes, deniedAudits } = await owner();
    const source = 'ip:127.0.0.1';
    const answers = [];
    for (let i = 0; i < 2; i++)
      answers.push(errorOf(await steward.call('auth.verifyCode', { recoveryCode: `AAAAA-AAAA${i + 2}` }, mfaSession(), source))?.code);
    for (let i = 0; i < 2; i++)
      answers.push(errorOf(await steward.call('auth.regenerateRecoveryCodes', { code: await wrongCode() }, token, source))?.code);
    answers.push(errorOf(await steward.call('auth.verifyCode', { code: await wrongCode() }, mfaSession(), source))?.code);
    expect(answers).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'THROTTLED']);
    const stored = steward.db.prepare('SELECT code_hash, used_at FROM recovery_codes ORDER BY code_hash').all();
    expect(errorOf(await steward.call('auth.regenerateRecoveryCodes', { code: await goodCode() }, token, source))).toMatchObject({
      code: 'THROTTLED',
    });
    expect(errorOf(await steward.call('auth.verifyCode', { recoveryCode: recoveryCodes[0] }, mfaSession(), source))).toMatchObject({
      code: 'THROTTLED',
    });
    expect(steward.db.prepare('SELECT code_hash, used_at FROM recovery_codes ORDER BY code_hash').all()).toEqual(stored);
    expect(deniedAudits('auth.verifyCode')).toEqual([
      { code: 'INVALID_CODE' },
      { code: 'INVALID_CODE' },
      { code: 'THROTTLED' },
      { code: 'THROTTLED' },
    ]);
    expect(deniedAudits('auth.mfa.recoveryCodesRegenerated')).toEqual([
      { code: 'INVALID_CODE' },
      { code: 'INVALID_CODE' },
      { code: 'THROTTLED' },
    ]);
  });
});
