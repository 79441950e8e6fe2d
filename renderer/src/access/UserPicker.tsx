import { useEffect, useState } from 'react';
import type { UserSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { SearchList } from '../ui/SearchList';

export interface PickedUser {
  id: string;
  username: string;
  fullName: string;
}

interface Found {
  query: string;
  users: UserSummary[];
  total: number;
  error: string | null;
}

const LIMIT = 20;
const DEBOUNCE_MS = 200;

/** Searches users.list as the person types; the server filters to the users the caller may see. */
export function UserPicker({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: PickedUser | null;
  onChange: (user: PickedUser) => void;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      const trimmed = query.trim();
      void invoke('users.list', { ...(trimmed ? { query: trimmed } : {}), limit: LIMIT }).then((result) => {
        if (!live) return;
        setFound(result.ok ? { query, ...result.value, error: null } : { query, users: [], total: 0, error: result.error.message });
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  const users = found?.users ?? [];
  const more =
    found && found.total > users.length ? `Showing ${users.length} of ${found.total.toLocaleString()}. Type more to narrow.` : null;

  return (
    <div className="picker">
      <SearchList
        label={label}
        query={query}
        onQuery={setQuery}
        options={users.map((u) => ({
          id: u.id,
          content: (
            <span className="user-option">
              <span className="group-option-name">{u.fullName || u.username}</span>
              <span className="group-option-path">
                {u.username} · {u.homeGroupName}
                {u.status === 'disabled' ? ' · disabled' : ''}
              </span>
            </span>
          ),
        }))}
        selectedId={value?.id ?? null}
        onSelect={(id) => {
          const user = users.find((u) => u.id === id);
          if (user) onChange({ id: user.id, username: user.username, fullName: user.fullName });
        }}
        note={found?.error ?? more}
        emptyText={query.trim() ? `No users match “${query.trim()}”` : 'No users you can see'}
        placeholder="Name, username or email"
        error={error}
        busy={found === null || found.query !== query}
      />
      <p className="picked" aria-live="polite">
        {value ? (
          <>
            Chosen: <strong>{value.fullName || value.username}</strong> ({value.username})
          </>
        ) : (
          'Nobody chosen yet.'
        )}
      </p>
    </div>
  );
}
