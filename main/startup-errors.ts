import { DataFolderInUseError } from './data-lock';
import { DatabaseTooNewError } from './db/migrations';
import { SealedKeyError } from './security/secret-box';

/** Errors a person can act on get their message alone; anything else is a bug and keeps its stack. */
export function startupMessage(error: unknown): string {
  if (error instanceof DatabaseTooNewError || error instanceof SealedKeyError || error instanceof DataFolderInUseError)
    return error.message;
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    // Node's listen error carries the port; the default (4780) is the one a second console meets.
    const port = 'port' in error && typeof error.port === 'number' ? `Port ${error.port}` : 'That port';
    return `${port} is already in use (another Steward, or another program, listens there). Pass another with --port, or 0 to pick a free one.`;
  }
  if (error instanceof Error && (/NODE_MODULE_VERSION/.test(error.message) || /Could not locate the bindings file/.test(error.message))) {
    return (
      `better-sqlite3 in node_modules is not built for this Node.js (${process.version}): ${error.message.split('\n')[0] ?? ''}. ` +
      'Run `npm rebuild better-sqlite3` (or `npm ci`) with the Node.js you start Steward with.'
    );
  }
  return `Steward could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
