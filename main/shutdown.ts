/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits 0. Once: Ctrl-C reaches both `npm run`'s
 * wrapper (which forwards it) and this process, so the signal may come twice.
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', once);
  process.on('SIGTERM', once);
}
