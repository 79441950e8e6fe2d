import { useState } from 'react';
import { ASSIGN_MEMBERS_MAX } from '../../../shared/contract';
import type { PickedUser } from '../ui/UserPicker';
import { useUserSearch } from '../ui/use-user-search';
import { SearchList } from '../ui/SearchList';

interface MemberMultiPickerProps {
  label: string;
  value: readonly PickedUser[];
  onChange: (members: PickedUser[]) => void;
  error?: string | undefined;
  /** Offer first only the people homed in this company (the devices' own); a checkbox widens it to everyone visible. */
  scope?: { groupId: string; name: string } | null;
}

/**
 * One or more members, found by typing: users.list only answers with people the caller may see,
 * so nobody else can be picked. Enter or a click adds or removes the highlighted member.
 */
export function MemberMultiPicker({ label, value, onChange, error, scope = null }: MemberMultiPickerProps) {
  const [query, setQuery] = useState('');
  const [everyone, setEveryone] = useState(false);
  const { users, note, busy } = useUserSearch(query, true, scope && !everyone ? scope.groupId : null);

  const chosen = new Set(value.map((m) => m.id));
  const full = value.length >= ASSIGN_MEMBERS_MAX;

  function toggle(id: string) {
    if (chosen.has(id)) {
      onChange(value.filter((m) => m.id !== id));
      return;
    }
    const user = users.find((u) => u.id === id);
    if (user && !full) onChange([...value, { id: user.id, username: user.username, fullName: user.fullName }]);
  }

  return (
    <div className="picker member-multi">
      {scope && (
        <label className="check member-scope">
          <input type="checkbox" checked={!everyone} onChange={(e) => setEveryone(!e.target.checked)} />
          Only people of {scope.name}, where these devices are
        </label>
      )}
      <SearchList
        label={label}
        query={query}
        onQuery={setQuery}
        options={users.map((u) => ({
          id: u.id,
          disabledReason: full && !chosen.has(u.id) ? `At most ${ASSIGN_MEMBERS_MAX} members at once` : null,
          content: (
            <span className="user-option">
              <span className="group-option-name">
                <span aria-hidden="true">{chosen.has(u.id) ? '☑ ' : '☐ '}</span>
                {u.fullName || u.username}
                {chosen.has(u.id) && <span className="sr-only"> (chosen)</span>}
              </span>
              <span className="group-option-path">
                {u.username} · {u.homeGroupName} · {u.bindings.map((b) => b.roleName).join(', ') || 'no role'}
              </span>
            </span>
          ),
        }))}
        selectedId={null}
        onSelect={toggle}
        note={note}
        emptyText={query.trim() ? `No active members match “${query.trim()}”` : 'No active members you can see'}
        placeholder="Name, username or email"
        error={error}
        busy={busy}
        autoFocus
      />
      <div className="picked" aria-live="polite">
        {value.length === 0 ? (
          'Nobody chosen yet.'
        ) : (
          <ul className="chips" aria-label="Chosen members">
            {value.map((m) => (
              <li key={m.id} className="chip">
                {m.fullName || m.username}
                <button type="button" className="link" aria-label={`Remove ${m.fullName || m.username}`} onClick={() => toggle(m.id)}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
