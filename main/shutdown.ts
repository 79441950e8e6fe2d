import { log } from './log';

/**
 * Runs `steps` once, in order, on SIGINT or SIGTERM, then exits: 0 when every step ended
 * well, 1 when one threw. A step that throws is logged and the next still runs, so the data
 * folder's lock (the last step) is released whatever went wrong before it. Once: Ctrl-C
 * reaches both `npm run`'s wrapper (which forwards it) and this process, so the signal may
 * come twice.
 */
export function stopOnSignals(steps: ReadonlyArray<() => unknown>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    void runEach(steps).then((ok) => process.exit(ok ? 0 : 1));
  };
  process.on('SIGINT', once);
  process.on('SIGTERM', once);
}

async function runEach(steps: ReadonlyArray<() => unknown>): Promise<boolean> {
  let ok = true;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      ok = false;
      log.error('a step of stopping failed; the next ones still run', error);
    }
  }
  return ok;
}
