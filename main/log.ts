/**
 * The process log. Messages name operations and references, never inputs: passwords,
 * codes, secrets and tokens must not reach it.
 */
export const log = {
  info(message: string): void {
    process.stderr.write(`[steward] ${message}\n`);
  },
  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : '';
    process.stderr.write(`[steward] ERROR ${message}${detail}\n`);
  },
};
