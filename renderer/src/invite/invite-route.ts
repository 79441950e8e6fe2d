import { useMatch } from 'react-router';
import { navigateTo } from '../routes/navigate';

/** The token of an invitation link (`/#/invite/<token>`) being opened, or null. */
export function useInviteToken(): string | null {
  const match = useMatch('/invite/:token');
  const token = match?.params.token;
  return token ? token.trim() : null;
}

/** Leaves the invitation route once it has done its job; replacing keeps the spent link out of the history, so Back does not offer it. */
export function leaveInviteRoute(): void {
  navigateTo('/', { replace: true });
}
