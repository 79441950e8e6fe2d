import { openSteward } from '../../main/app';

/**
 * A real Steward process for the crash test: starts one bulk job with small, slow chunks
 * and keeps running it until the test kills the process.
 * Usage: node job-child.mjs <dataDir> <sessionToken> <bulkAssign input as JSON>
 */
const [dataDir = '', token = '', input = '{}'] = process.argv.slice(2);
const steward = openSteward({ dataDir, jobs: { chunkSize: 25, pauseBetweenChunksMs: 20 } });
const out = await steward.dispatcher.dispatch('devices.bulkAssign', JSON.parse(input), { token, client: 'cli' });
if (!out.result.ok) {
  process.stderr.write(`${JSON.stringify(out.result.error)}\n`);
  process.exit(1);
}
process.stdout.write(`started ${(out.result.value as { id: string }).id}\n`);
