import { accessBench } from './access.bench';
import { authBench } from './auth.bench';
import { treeBench } from './tree.bench';
import { usersBench } from './users.bench';

/** `npm run bench`: every figure is a ratio against a floor measured in the same run. */
async function main(): Promise<void> {
  process.stdout.write(`Steward benchmarks (node ${process.version}, ${new Date().toISOString()})\n\n`);
  for (const section of [authBench, accessBench, treeBench, usersBench]) {
    for (const block of await section()) process.stdout.write(`${block}\n\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
