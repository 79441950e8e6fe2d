// `npm test`: every check a change must pass, in order, then one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { nodeVersionProblem } from './node-version.mjs';

const versionProblem = nodeVersionProblem();
if (versionProblem) {
  process.stderr.write(`${versionProblem}\n`);
  process.exit(1);
}

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  [
    'unit and integration (vitest)',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/vitest.json'],
  ],
  ['build', 'node', ['scripts/build.mjs']],
  ['browser end-to-end (playwright)', 'npx', ['playwright', 'test']],
];

rmSync('.reports', { recursive: true, force: true });
for (const [label, command, args] of steps) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const run = spawnSync(command, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    summarize();
    process.stdout.write(`\nnpm test failed at: ${label}\n`);
    process.exit(run.status ?? 1);
  }
}
summarize();

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync('.reports/vitest.json')) {
    const v = JSON.parse(readFileSync('.reports/vitest.json', 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += v.numPendingTests + v.numTodoTests;
  }
  if (existsSync('.reports/playwright.json')) {
    const p = JSON.parse(readFileSync('.reports/playwright.json', 'utf8'));
    passed += p.stats.expected + p.stats.flaky;
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
  }
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
}
