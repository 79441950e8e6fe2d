import { useId } from 'react';

interface SearchFilterProps {
  label: string;
  /** Added to the field's class, for the width its list wants. */
  className: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}

/**
 * The free-text box of a filter bar. Escape empties it; an empty box lets Escape through,
 * so it still closes whatever else listens (a panel, a dialog).
 */
export function SearchFilter({ label, className, placeholder, value, onChange }: SearchFilterProps) {
  const id = useId();
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            onChange('');
          }
        }}
      />
    </div>
  );
}
