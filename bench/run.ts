import { parseArgs } from 'node:util';
import { accessBench } from './access.bench';
import { auditBench } from './audit.bench';
import { concurrencyBench } from './concurrency.bench';
import { authBench } from './auth.bench';
import { browserBench } from './browser.bench';
import { dashboardBench } from './dashboard.bench';
import { devicesBench } from './devices.bench';
import { rolesBench } from './roles.bench';
import { scaleBench } from './scale.bench';
import { syncBench } from './sync.bench';
import { treeBench } from './tree.bench';
import { usersBench } from './users.bench';

const SCALES: Record<string, number> = { '100k': 100_000, '1m': 1_000_000 };

/**
 * `npm run bench`: every figure is a ratio against a floor measured in the same run.
 * `npm run bench -- audit users` runs only the sections named; `npm run bench -- --scale 1m`
 * runs issue 17's figures at 100,000 and 1,000,000 devices instead (`--scale 100k`: 10,000
 * and 100,000, quicker).
 */
async function main(): Promise<void> {
  process.stdout.write(`Steward benchmarks (node ${process.version}, ${new Date().toISOString()})\n\n`);
  const { values, positionals: only } = parseArgs({ options: { scale: { type: 'string' } }, allowPositionals: true });
  if (values.scale !== undefined) {
    const devices = SCALES[values.scale];
    if (!devices) throw new Error(`--scale takes ${Object.keys(SCALES).join(' or ')}, not ${values.scale}`);
    for (const block of await scaleBench(devices)) process.stdout.write(`${block}\n\n`);
    return;
  }
  const sections = {
    auth: authBench,
    access: accessBench,
    tree: treeBench,
    users: usersBench,
    roles: rolesBench,
    audit: auditBench,
    devices: devicesBench,
    dashboard: dashboardBench,
    sync: syncBench,
    concurrency: concurrencyBench,
    browser: browserBench,
  };
  for (const [name, section] of Object.entries(sections)) {
    if (only.length > 0 && !only.includes(name)) continue;
    for (const block of await section()) process.stdout.write(`${block}\n\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
