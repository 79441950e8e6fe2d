import { useEffect } from 'react';
import { SESSION_ENDED_MESSAGE } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useSession } from '../state/session';

const HEARTBEAT_MS = 60_000;
const CHECK_MS = 15_000;

/**
 * The server locks a session after the idle timeout without calls. While the person is
 * working, a heartbeat keeps it alive; when they stop, the console locks itself at the
 * same moment instead of failing on their next click.
 */
export function useIdleLock(): void {
  const idleMinutes = useSession((s) => s.idleTimeoutMinutes);
  const ended = useSession((s) => s.ended);

  useEffect(() => {
    let lastActivity = Date.now();
    let lastBeat = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
      if (lastActivity - lastBeat < HEARTBEAT_MS) return;
      lastBeat = lastActivity;
      void invoke('auth.status', {}).then((result) => {
        if (result.ok && !result.value.session) ended(SESSION_ENDED_MESSAGE);
      });
    };
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity < idleMinutes * 60_000) return;
      void invoke('auth.signOut', {}).finally(() =>
        ended(`Locked after ${idleMinutes} minutes without activity. Sign in again to continue.`),
      );
    }, CHECK_MS);
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      window.clearInterval(timer);
      for (const name of events) window.removeEventListener(name, onActivity);
    };
  }, [idleMinutes, ended]);
}
