interface StaleCopyNoticeProps {
  /** The server's refusal, which says what changed since and who changed it; nothing is shown when null. */
  message: string | null | undefined;
  /** What is reloaded, in words: "role", "group", "settings". */
  what: string;
  /** Fetches the current copy; the form then starts again from it. */
  onReload: () => void;
}

/**
 * A save refused because someone changed the object since it was loaded (issue 12). The
 * person's edits stay on screen until they choose to reload, so they can read them against
 * what changed and make the change again on the current copy.
 */
export function StaleCopyNotice({ message, what, onReload }: StaleCopyNoticeProps) {
  if (!message) return null;
  return (
    <div className="form-error stale-copy" role="alert" data-testid="stale-copy">
      <p>{message}</p>
      <p>Your unsaved changes are still shown. Reloading replaces them with the current {what}.</p>
      <button type="button" onClick={onReload}>
        Reload the current {what}
      </button>
    </div>
  );
}
