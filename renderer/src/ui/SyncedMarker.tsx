import './sso.css';

/**
 * Seed 004: a department synced from the company's directory carries a blue circle with an
 * i; "synced from …" is its accessible name and its tooltip. `locked`: while the sync is on,
 * the tooltip also says why it cannot be renamed, moved or removed by hand.
 */
export function SyncedMarker({ source, locked = false }: { source: string; locked?: boolean }) {
  const text = `synced from ${source}`;
  // The separator keeps a name read with its marker apart from it ("Finance, synced from …").
  return (
    <>
      <span className="sr-only">, </span>
      <svg className="synced-marker" width="14" height="14" viewBox="0 0 16 16" role="img" aria-label={text}>
        <title>{locked ? `${text} (managed by the directory sync while it is on)` : text}</title>
        <circle cx="8" cy="8" r="7.5" fill="currentColor" />
        <rect x="7" y="7" width="2" height="5" rx="1" fill="#fff" />
        <circle cx="8" cy="4.6" r="1.1" fill="#fff" />
      </svg>
    </>
  );
}
