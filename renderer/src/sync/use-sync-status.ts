import { useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../shared/contract';
import { invoke } from '../api/client';
import { refreshEverything } from '../data/invalidate';

/** How often the console asks for the replica's sync state: the chip's figures stay within this of the truth. */
const POLL_MS = 2_000;

/** The replica's sync state, read now and every POLL_MS; null until the first answer (or on a console that cannot answer). */
export function useSyncStatus(): { status: SyncStatus | null; refresh: () => void } {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [tick, setTick] = useState(0);
  const changes = useRef<number | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      void invoke('sync.status', {}).then((r) => {
        if (!live || !r.ok) return;
        // The hub's changes landed here: the screens show them (and a session the pull ended is noticed).
        if (changes.current !== null && r.value.changes !== changes.current) refreshEverything();
        changes.current = r.value.changes;
        setStatus(r.value);
      });
    read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tick]);
  return { status, refresh: () => setTick((t) => t + 1) };
}

const STATE_WORDS: Record<SyncStatus['state'], string> = {
  'not-connected': 'Standalone',
  online: 'Online',
  syncing: 'Syncing',
  offline: 'Offline',
  'working-offline': 'Working offline',
  'signed-out': 'Signed out of the hub',
};

export function stateWords(state: SyncStatus['state']): string {
  return STATE_WORDS[state];
}

/** "as of 14:32" (today) or "as of 3 Dec, 14:32", in the person's time zone. */
export function asOfWords(at: number | null): string {
  if (at === null) return 'never synced';
  const when = new Date(at);
  const today = new Date().toDateString() === when.toDateString();
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return `as of ${today ? time : `${when.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`}`;
}
