interface SwitchProps {
  label: string;
  checked: boolean;
  onLabel: string;
  offLabel: string;
  onChange: (checked: boolean) => void;
  reason?: string | null | undefined;
  busy?: boolean;
}

/** Seed 004's Login Status toggle: green when on, red when off, with the state in words too. */
export function Switch({ label, checked, onLabel, offLabel, onChange, reason, busy }: SwitchProps) {
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={label}
        className={`switch ${checked ? 'switch-on' : 'switch-off'}`}
        disabled={Boolean(reason) || busy}
        title={reason ?? undefined}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-knob" aria-hidden="true" />
      </button>
      <span className={checked ? 'switch-text-on' : 'switch-text-off'}>{checked ? onLabel : offLabel}</span>
      {reason && <span className="muted switch-reason">{reason}</span>}
    </div>
  );
}
