import { create } from 'zustand';
import type { AuthStatus, EffectiveBranding, SessionStage, SessionUser } from '../../../shared/contract';
import { SESSION_ENDED_MESSAGE } from '../../../shared/contract';
import type { ApiError } from '../../../shared/result';

export type Phase = 'loading' | 'setup' | 'signIn' | SessionStage | 'recoveryCodes' | 'unreachable';

interface SessionState {
  phase: Phase;
  user: SessionUser | null;
  rootGroupName: string | null;
  /** The first-run form asks for the hub's one-time setup code (R35). */
  setupCodeRequired: boolean;
  /** The top of what the signed-in person may see on their home's path; the header names it (null before signing in). */
  placeName: string | null;
  /** The signed-in user's home-group branding (nearest branded ancestor), or null for Steward's own look. */
  branding: EffectiveBranding | null;
  idleTimeoutMinutes: number;
  /** Why the sign-in screen is showing again (locked, ended), shown above the form. */
  notice: string | null;
  /** The login to prefill after a lock. */
  lastLogin: string;
  /** Shown once after enrollment, then dropped from memory. */
  recoveryCodes: string[] | null;
  fromStatus(status: AuthStatus): void;
  enterStage(stage: SessionStage, user: SessionUser): void;
  showRecoveryCodes(codes: string[], user: SessionUser): void;
  recoveryCodesSaved(): void;
  /** The session was locked, ended or signed out; the first reason given stays on the sign-in screen. */
  ended(notice: string | null): void;
  unreachable(): void;
}

/** UI state of the sign-in flow only; account data stays on the server. */
export const useSession = create<SessionState>()((set) => ({
  phase: 'loading',
  user: null,
  rootGroupName: null,
  setupCodeRequired: false,
  placeName: null,
  branding: null,
  idleTimeoutMinutes: 15,
  notice: null,
  lastLogin: '',
  recoveryCodes: null,
  fromStatus: (status) =>
    set((state) => {
      // Whichever read notices first that the signed-in person's session is gone, they are told so.
      const lost = state.phase === 'active' && state.user !== null && !status.session && !status.setupRequired;
      return {
        rootGroupName: status.rootGroupName,
        setupCodeRequired: status.setupCodeRequired,
        placeName: status.placeName,
        branding: status.branding ?? null,
        idleTimeoutMinutes: status.idleTimeoutMinutes,
        user: status.session?.user ?? null,
        phase: status.setupRequired ? 'setup' : (status.session?.stage ?? 'signIn'),
        ...(lost ? { notice: SESSION_ENDED_MESSAGE, lastLogin: state.user?.username ?? state.lastLogin } : {}),
      };
    }),
  enterStage: (stage, user) => set({ phase: stage, user, notice: null, lastLogin: user.username }),
  showRecoveryCodes: (codes, user) => set({ phase: 'recoveryCodes', recoveryCodes: codes, user, notice: null }),
  recoveryCodesSaved: () => set({ phase: 'active', recoveryCodes: null }),
  ended: (notice) =>
    set((state) => {
      // Calls already in flight, or refetched once the cookie was cleared, answer after the first one told why:
      // the first reason stays on the sign-in screen.
      if (state.phase === 'signIn' || state.phase === 'setup' || state.phase === 'loading') return state;
      return {
        phase: 'signIn',
        user: null,
        placeName: null,
        branding: null,
        recoveryCodes: null,
        notice,
        lastLogin: state.user?.username ?? state.lastLogin,
      };
    }),
  unreachable: () => set({ phase: 'unreachable' }),
}));

/**
 * What the sign-in screen says after a call found the session gone: the dispatcher's own words for
 * SESSION_EXPIRED (locked or ended); a call sent after that answer cleared the cookie is refused as
 * UNAUTHENTICATED, and it is still the same ended session.
 */
export function endedNotice(error: ApiError): string {
  return error.code === 'SESSION_EXPIRED' ? error.message : SESSION_ENDED_MESSAGE;
}
