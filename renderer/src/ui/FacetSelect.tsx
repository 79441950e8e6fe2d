import { useId } from 'react';
import { usePopover } from './use-popover';

export interface FacetOption<T extends string> {
  value: T;
  label: string;
  /** Rows it would match with the list's other filters as they are (cross-filtered); null while unknown. */
  count: number | null;
}

interface FacetSelectProps<T extends string> {
  label: string;
  /** What an empty choice means: "Any OS". */
  anyText: string;
  options: ReadonlyArray<FacetOption<T>>;
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
}

/** A fixed set of values (kinds, statuses) with their counts from a facet; a value the facet does not list matches nothing now. */
export function countedOptions<T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  facet: ReadonlyArray<{ value: T; count: number }> | undefined,
): Array<FacetOption<T>> {
  return values.map((value) => ({ value, label: labels[value], count: facet ? (facet.find((f) => f.value === value)?.count ?? 0) : null }));
}

/** The button's words for what is chosen: "Any OS", one value, two, or how many. */
function summary<T extends string>(options: ReadonlyArray<FacetOption<T>>, chosen: readonly T[], anyText: string): string {
  if (chosen.length === 0) return anyText;
  const labels = chosen.map((value) => options.find((o) => o.value === value)?.label ?? value);
  return labels.length <= 2 ? labels.join(', ') : `${labels.length.toLocaleString()} chosen`;
}

/**
 * A list filter that takes several values (issue 15, finding 6): a button saying what is
 * chosen opens a checklist of every value with its count, the count being what the list would
 * hold with the other filters as they are. Values are shown whole (they wrap, never truncated),
 * and a chosen value stays listed even when nothing matches it now. Escape or a click outside closes it.
 */
export function FacetSelect<T extends string>({ label, anyText, options, chosen, onChange }: FacetSelectProps<T>) {
  const id = useId();
  const { open, setOpen, frameProps, buttonRef } = usePopover();

  const listed = [
    ...options,
    ...chosen.filter((v) => !options.some((o) => o.value === v)).map((value) => ({ value, label: value, count: 0 })),
  ];
  const toggle = (value: T, on: boolean) => onChange(on ? [...chosen, value] : chosen.filter((v) => v !== value));
  const said = summary(listed, chosen, anyText);

  return (
    <div className="field facet-select" {...frameProps}>
      <span className="facet-select-label" id={`${id}-label`}>
        {label}
      </span>
      <button
        type="button"
        ref={buttonRef}
        id={`${id}-button`}
        className={`facet-select-button${chosen.length > 0 ? ' chosen' : ''}`}
        aria-labelledby={`${id}-label ${id}-button`}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title={said}
        onClick={() => setOpen(!open)}
      >
        <span className="facet-select-summary">{said}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="facet-panel" id={`${id}-panel`} role="group" aria-labelledby={`${id}-label`}>
          {listed.length === 0 && <p className="muted">Nothing to choose from.</p>}
          {listed.map((option) => (
            <label key={option.value} className="check facet-option">
              <input type="checkbox" checked={chosen.includes(option.value)} onChange={(e) => toggle(option.value, e.target.checked)} />
              <span>
                {option.label}
                {option.count !== null && ` (${option.count.toLocaleString()})`}
              </span>
            </label>
          ))}
          {chosen.length > 0 && (
            <button type="button" className="link" onClick={() => onChange([])}>
              {anyText}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
