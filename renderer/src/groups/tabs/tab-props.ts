import type { GroupDetail } from '../../../../shared/contract';

export interface SaveEffects {
  /** Branding changed: the shell may need to repaint. */
  branding?: boolean;
}

export interface TabProps {
  detail: GroupDetail;
  onSaved: (message: string, effects?: SaveEffects) => void;
  /** Fetches the group (and the tree) again after a save was refused as based on a stale copy; the tab starts again from it. */
  onReload: () => void;
}
