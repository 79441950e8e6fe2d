import { performance } from 'node:perf_hooks';

export interface Measurement {
  label: string;
  perOpMicros: number;
  ops: number;
}

/** Runs `fn` `ops` times after a warm-up and reports the mean cost of one call; the best of `rounds` runs counts. */
export async function measure(label: string, ops: number, fn: () => unknown, rounds = 3): Promise<Measurement> {
  for (let i = 0; i < Math.min(ops, 50); i++) await fn();
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < ops; i++) await fn();
    best = Math.min(best, (performance.now() - start) / ops);
  }
  return { label, perOpMicros: best * 1000, ops };
}

/**
 * Two measurements taken round by round in turn, best round of each: slow work (a second
 * per op) drifts with the machine, and measuring one after the other would charge the
 * drift to whichever came second.
 */
export async function measureInterleaved(
  floor: { label: string; fn: () => unknown },
  subject: { label: string; fn: () => unknown },
  ops: number,
  rounds = 3,
): Promise<[Measurement, Measurement]> {
  await floor.fn();
  await subject.fn();
  const best = [Infinity, Infinity];
  for (let round = 0; round < rounds; round++) {
    for (const [i, fn] of [floor.fn, subject.fn].entries()) {
      const start = performance.now();
      for (let n = 0; n < ops; n++) await fn();
      best[i] = Math.min(best[i] ?? Infinity, (performance.now() - start) / ops);
    }
  }
  return [
    { label: floor.label, perOpMicros: (best[0] ?? 0) * 1000, ops },
    { label: subject.label, perOpMicros: (best[1] ?? 0) * 1000, ops },
  ];
}

export function report(title: string, subject: Measurement, floor: Measurement, target?: number): string {
  const ratio = subject.perOpMicros / floor.perOpMicros;
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: NOT met)`;
  return [
    `${title}`,
    `  ${subject.label}: ${fmt(subject.perOpMicros)} per op`,
    `  floor, ${floor.label}: ${fmt(floor.perOpMicros)} per op`,
    `  ratio: ${ratio.toFixed(2)}x${verdict}`,
  ].join('\n');
}

function fmt(micros: number): string {
  return micros >= 1000 ? `${(micros / 1000).toFixed(2)} ms` : `${micros.toFixed(2)} µs`;
}
