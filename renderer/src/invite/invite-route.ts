import { useSyncExternalStore } from 'react';

const PREFIX = '#/invite/';

function tokenFromHash(): string | null {
  const hash = window.location.hash;
  if (!hash.startsWith(PREFIX)) return null;
  return decodeURIComponent(hash.slice(PREFIX.length)).trim();
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener('steward:route', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('steward:route', onChange);
  };
}

/** The token of an invitation link (`/#/invite/<token>`) being opened, or null. */
export function useInviteToken(): string | null {
  return useSyncExternalStore(subscribe, tokenFromHash);
}

/**
 * Leaves the invitation route once it has done its job. replaceState keeps the token
 * out of the history, so Back does not offer a spent link; it fires no hashchange, hence
 * the event of our own.
 */
export function leaveInviteRoute(): void {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  window.dispatchEvent(new Event('steward:route'));
}
