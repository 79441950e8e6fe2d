import { invoke } from '../api/client';
import { useSession } from '../state/session';

export function SignOutLink({ label = 'Cancel and sign out' }: { label?: string }) {
  const ended = useSession((s) => s.ended);
  return (
    <button
      type="button"
      className="link"
      onClick={() => {
        void invoke('auth.signOut', {}).then(() => ended(null));
      }}
    >
      {label}
    </button>
  );
}
