import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { Result } from 'axe-core';

/** The impacts that fail a test (issue 15: "no serious or critical violations"); minor and moderate are reported by axe only. */
const FAILING = new Set(['serious', 'critical']);

/**
 * axe-core's default rules plus `target-size` (WCAG 2.2 AA 2.5.8: a pointer target of at least
 * 24x24 CSS px, or that much space around it), which axe ships disabled.
 */
function builder(page: Page, within?: string): AxeBuilder {
  const axe = new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } });
  return within ? axe.include(within) : axe;
}

/** One violation as a person fixing it reads it: the rule, what it asks, and each element with axe's own explanation. */
export function describeViolation(violation: Result): string {
  const nodes = violation.nodes.map((node) => {
    const why = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
    return `    ${node.target.join(' ')}\n      ${node.html.slice(0, 160)}\n      ${why}`;
  });
  return `  ${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
}

/**
 * Runs axe on the page as it is now (or on the part `within` selects, a CSS selector such as
 * `dialog[open]`). Returns one readable paragraph per serious or critical violation, naming
 * `where`, the rule and each element concerned; an empty list when there are none.
 */
export async function accessibilityProblems(page: Page, where: string, within?: string): Promise<string[]> {
  const results = await builder(page, within).analyze();
  return results.violations.filter((v) => FAILING.has(v.impact ?? '')).map((v) => `${where}: axe\n${describeViolation(v)}`);
}

/** Throws with every serious or critical violation on the page (or the part `within` selects). */
export async function expectAccessible(page: Page, where: string, within?: string): Promise<void> {
  failOnProblems(await accessibilityProblems(page, where, within));
}

/** The open modal dialog only: the page behind it is inert, and is checked on its own. */
export async function expectDialogAccessible(page: Page, where: string): Promise<void> {
  await expectAccessible(page, `the dialog ${where}`, 'dialog[open]');
}

/** For a test that gathers problems (axe's, the layout's) from many places and reports them all at once. */
export function failOnProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n${problems.join('\n')}`);
}
