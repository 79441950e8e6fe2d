interface FilterChooserProps {
  legend: string;
  testId: string;
  /** What is chosen, in a few words (a group's own name, a person's name), or null for the unfiltered state named by anyText. */
  chosen: string | null;
  /** The chosen value in full, for the tooltip (a group's whole path). */
  chosenTitle?: string | undefined;
  anyText: string;
  onChoose: () => void;
  onClear: () => void;
  clearLabel: string;
}

/**
 * A filter whose value is picked in a dialog: the chosen value as a chip with its ✕ inside it
 * (issue 15, finding 6: never wrapped onto a line of its own), and Choose… or Change….
 */
export function FilterChooser({ legend, testId, chosen, chosenTitle, anyText, onChoose, onClear, clearLabel }: FilterChooserProps) {
  return (
    <fieldset className="filter-chooser">
      <legend>{legend}</legend>
      {chosen ? (
        <span className="filter-chip" data-testid={testId} title={chosenTitle}>
          <strong className="filter-chip-text">{chosen}</strong>
          <button type="button" className="filter-chip-clear" onClick={onClear} aria-label={clearLabel}>
            ✕
          </button>
        </span>
      ) : (
        <span className="muted" data-testid={testId}>
          {anyText}
        </span>
      )}
      <button type="button" className="link" onClick={onChoose}>
        {chosen ? 'Change…' : 'Choose…'}
      </button>
    </fieldset>
  );
}
