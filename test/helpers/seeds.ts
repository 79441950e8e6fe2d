import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * The seeds sit beside the repository (../shared/seeds). They are found by walking up
 * rather than at a fixed depth because mutation runs copy the repository into a sandbox
 * (.reports/stryker-tmp/sandbox-*) a few levels further down.
 */
function seedsDir(): URL {
  for (let dir = new URL('../../', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('shared/seeds/', dir);
    if (existsSync(candidate)) return candidate;
    if (dir.pathname === '/') throw new Error(`no shared/seeds folder above ${import.meta.url}`);
  }
}

/** The seed whose file name starts with `prefix` (their names carry a hash after the number). */
export function seedText(prefix: string): string {
  const dir = seedsDir();
  const names = readdirSync(dir).filter((n) => n.startsWith(`${prefix}_`));
  if (names.length !== 1 || !names[0]) throw new Error(`expected one seed ${prefix}_* in ${dir.pathname}`);
  return readFileSync(new URL(names[0], dir), 'utf8');
}

/** Seed 003's permission table: each functionality row with its six cells, in the table's role order. */
export function seed003Table(): { roles: string[]; rows: Array<{ functionality: string; cells: string[] }> } {
  const lines = seedText('003').split('\n');
  const header = lines.find((l) => l.startsWith('Functionality |')) ?? '';
  const roles = header
    .split('|')
    .slice(1)
    .map((c) => c.trim())
    .filter(Boolean);
  const rows = lines
    .filter((l) => l.split('|').length > 6 && !l.startsWith('Functionality') && !l.startsWith('---'))
    .map((l) => {
      const parts = l.split('|').map((c) => c.trim());
      return { functionality: parts[0] ?? '', cells: parts.slice(1, 1 + roles.length) };
    });
  return { roles, rows };
}

/** The matrix areas a row of seed 003's table is about (its configuration row names six tasks). */
export const SEED_003_AREAS: Record<string, string[]> = {
  'Configuration tasks (locations, portal users, backup policies, alarms, company info, plugin library)': [
    'locations',
    'users',
    'policies',
    'alarmSettings',
    'company',
    'plugins',
  ],
  'Managed computers': ['devices'],
  'Discovery rules': ['discovery'],
  'Veeam backup agents': ['agents'],
  'File-level restore': ['restores'],
  'Veeam Backup & Replication': ['backupServers'],
  'Jobs assigned by service provider': ['jobs'],
  'Veeam Backup for Public Clouds': ['publicCloud'],
  'Failover plans': ['failover'],
  'Veeam Backup for Microsoft 365': ['m365'],
  'Veeam ONE': ['monitoringTools'],
  Invoices: ['billing'],
  'Backup reports': ['reports'],
  Monitoring: ['monitoring'],
  'Active alarms': ['activeAlarms'],
  'Protected data': ['protectedData'],
};
