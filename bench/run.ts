import { accessBench } from './access.bench';
import { auditBench } from './audit.bench';
import { concurrencyBench } from './concurrency.bench';
import { authBench } from './auth.bench';
import { devicesBench } from './devices.bench';
import { rolesBench } from './roles.bench';
import { syncBench } from './sync.bench';
import { treeBench } from './tree.bench';
import { usersBench } from './users.bench';

/** `npm run bench`: every figure is a ratio against a floor measured in the same run. */
async function main(): Promise<void> {
  process.stdout.write(`Steward benchmarks (node ${process.version}, ${new Date().toISOString()})\n\n`);
  // `npm run bench -- audit users` runs only the sections named.
  const only = process.argv.slice(2);
  const sections = {
    auth: authBench,
    access: accessBench,
    tree: treeBench,
    users: usersBench,
    roles: rolesBench,
    audit: auditBench,
    devices: devicesBench,
    sync: syncBench,
    concurrency: concurrencyBench,
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
