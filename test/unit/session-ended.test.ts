import { beforeEach, describe, expect, it } from 'vitest';
import { SESSION_ENDED_MESSAGE, type SessionUser } from '../../shared/contract';
import { endedNotice, useSession } from '../../renderer/src/state/session';

const carol: SessionUser = { id: 'u7', username: 'carol', fullName: 'Carol Create', email: 'carol@example.test' };

describe('the sign-in screen after a session ends (the first reason stays)', () => {
  beforeEach(() => useSession.setState({ phase: 'active', user: carol, notice: null, lastLogin: '' }));

  it('a call refused as UNAUTHENTICATED after the cookie was cleared reads as the same ended session', () => {
    expect(endedNotice({ code: 'UNAUTHENTICATED', message: 'Sign in first' })).toBe(SESSION_ENDED_MESSAGE);
    expect(endedNotice({ code: 'SESSION_EXPIRED', message: 'Your session locked after 15 minutes without activity. Sign in again.' })).toBe(
      'Your session locked after 15 minutes without activity. Sign in again.',
    );
  });

  it('later answers of calls already in flight do not replace the first notice', () => {
    useSession.getState().ended(SESSION_ENDED_MESSAGE);
    useSession.getState().ended('Sign in first');
    useSession.getState().ended(null);
    const state = useSession.getState();
    expect(state.phase).toBe('signIn');
    expect(state.notice).toBe(SESSION_ENDED_MESSAGE);
    expect(state.lastLogin).toBe('carol');
  });

  it('signing out while signed in clears the notice', () => {
    useSession.setState({ notice: 'stale' });
    useSession.getState().ended(null);
    expect(useSession.getState()).toMatchObject({ phase: 'signIn', notice: null, user: null });
  });
});
