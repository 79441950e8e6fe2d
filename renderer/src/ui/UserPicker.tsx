import { useState } from 'react';
import { SearchList } from './SearchList';
import { useUserSearch } from './use-user-search';

export interface PickedUser {
  id: string;
  username: string;
  fullName: string;
}

/** One user, found by typing (the server filters to the users the caller may see). */
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
  const { users, note, busy } = useUserSearch(query);

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
        note={note}
        emptyText={query.trim() ? `No users match “${query.trim()}”` : 'No users you can see'}
        placeholder="Name, username or email"
        error={error}
        busy={busy}
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
