import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface SearchOption {
  id: string;
  content: ReactNode;
  /** Why the option cannot be picked, or null when it can. */
  disabledReason?: string | null;
}

interface SearchListProps {
  label: string;
  query: string;
  onQuery: (query: string) => void;
  options: readonly SearchOption[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Under the list: how many were left out, or what to type. */
  note?: string | null;
  emptyText: string;
  placeholder?: string;
  error?: string | undefined;
  busy?: boolean;
  autoFocus?: boolean;
}

/**
 * A search box driving a listbox (the ARIA combobox pattern with the list always shown):
 * arrows move through the options without leaving the box, Enter picks.
 */
export function SearchList({
  label,
  query,
  onQuery,
  options,
  selectedId,
  onSelect,
  note,
  emptyText,
  placeholder,
  error,
  busy,
  autoFocus,
}: SearchListProps) {
  const id = useId();
  const [activeId, setActiveId] = useState<string | null>(null);
  const enabled = options.filter((o) => !o.disabledReason);
  const active = enabled.find((o) => o.id === activeId) ?? enabled.find((o) => o.id === selectedId) ?? enabled[0];

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const index = active ? enabled.indexOf(active) : -1;
    const moveTo = (i: number) => {
      const next = enabled[Math.max(0, Math.min(enabled.length - 1, i))];
      if (!next) return;
      setActiveId(next.id);
      document.getElementById(`${id}-option-${next.id}`)?.scrollIntoView({ block: 'nearest' });
    };
    if (event.key === 'ArrowDown') moveTo(index + 1);
    else if (event.key === 'ArrowUp') moveTo(index - 1);
    else if (event.key === 'Enter' && active) onSelect(active.id);
    else return;
    event.preventDefault();
  }

  return (
    <div className={`field search-list${error ? ' field-invalid' : ''}`}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={active ? `${id}-option-${active.id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        value={query}
        placeholder={placeholder}
        autoComplete="off"
        data-autofocus={autoFocus ? '' : undefined}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={label} className="search-options" aria-busy={busy || undefined}>
        {options.map((option) => (
          <li
            key={option.id}
            id={`${id}-option-${option.id}`}
            role="option"
            aria-selected={option.id === selectedId}
            aria-disabled={option.disabledReason ? true : undefined}
            title={option.disabledReason ?? undefined}
            className={`${option.id === active?.id ? 'active' : ''}${option.disabledReason ? ' disabled' : ''}`}
            onClick={() => !option.disabledReason && onSelect(option.id)}
          >
            {option.content}
            {option.disabledReason && <span className="option-reason">{option.disabledReason}</span>}
          </li>
        ))}
      </ul>
      {options.length === 0 && !busy && <p className="search-empty">{emptyText}</p>}
      {note && <p className="field-hint">{note}</p>}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
