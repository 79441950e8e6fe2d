import { useId, useState, type FormEvent } from 'react';
import type { SavedFilterBody, SavedFilterScreen } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useOp } from '../data/query';
import { FormError } from '../ui/FormError';
import { usePopover } from '../ui/use-popover';

interface SavedFiltersProps<S extends SavedFilterScreen> {
  screen: S;
  /** The screen's filters as they are now: what "Save" keeps. */
  current: SavedFilterBody<S>;
  /** Puts a saved filter on the screen. */
  onApply: (filter: SavedFilterBody<S>) => void;
}

/**
 * A person's saved filters of one screen (issue 15, finding 8): the list to apply one from,
 * remove one, or keep the filters shown under a name (a name already used is saved over).
 */
export function SavedFilters<S extends SavedFilterScreen>({ screen, current, onApply }: SavedFiltersProps<S>) {
  const id = useId();
  const { open, setOpen, close, frameProps, buttonRef } = usePopover();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const list = useOp('filters.list', { screen });
  const filters = list.data?.filters ?? [];

  async function save(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await invoke('filters.save', { screen, name, filter: current });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    setSaid(`Saved as “${result.value.name}”.`);
    setName('');
  }

  async function remove(filterId: string, filterName: string) {
    setError(null);
    const result = await invoke('filters.remove', { id: filterId });
    if (!result.ok) return setError(result.error.message);
    setSaid(`“${filterName}” removed.`);
  }

  return (
    <div className="saved-filters" {...frameProps}>
      <button
        type="button"
        ref={buttonRef}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => {
          setOpen(!open);
          setSaid(null);
        }}
      >
        Saved filters{filters.length > 0 ? ` (${filters.length.toLocaleString()})` : ''} ▾
      </button>
      {open && (
        <section className="saved-filters-panel" id={`${id}-panel`} aria-label="Saved filters">
          {filters.length === 0 ? (
            <p className="muted">None yet. Set the filters, then save them here under a name.</p>
          ) : (
            <ul className="saved-filters-list" aria-label="Your saved filters">
              {filters.map((f) => (
                <li key={f.id}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      onApply(f.filter as SavedFilterBody<S>);
                      close();
                    }}
                  >
                    {f.name}
                  </button>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove the saved filter ${f.name}`}
                    onClick={() => void remove(f.id, f.name)}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="saved-filters-save" onSubmit={(e) => void save(e)} noValidate>
            <label htmlFor={`${id}-name`}>Save the filters shown as</label>
            <div className="row">
              <input id={`${id}-name`} value={name} maxLength={60} placeholder="A name" onChange={(e) => setName(e.target.value)} />
              <button type="submit" disabled={pending || name.trim() === ''}>
                {pending ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
          <FormError message={error} />
          {said && (
            <p className="success" role="status">
              {said}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
