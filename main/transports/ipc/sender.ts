import { APP_HOST, APP_SCHEME } from '../../../shared/bridge';

export interface SenderFacts {
  /** The URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  /** True when the sending frame is its page's top frame. */
  isMainFrame: boolean;
  /** The id of the sending page; it must be one of our windows. */
  webContentsId: number;
}

/** True for URLs of the console itself (`steward://app/...`), the only origin that may call in. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Every IPC message is checked before anything runs: it must come from the top frame
 * of one of our own windows, showing our own origin. A sub-frame, a navigated-away page
 * or a foreign window gets nothing.
 */
export function isTrustedSender(sender: SenderFacts, ourWindows: ReadonlySet<number>): boolean {
  return ourWindows.has(sender.webContentsId) && sender.isMainFrame && sender.frameUrl !== null && isAppUrl(sender.frameUrl);
}
