import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';
export const BASE_DN = 'dc=contoso,dc=test';
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'directory admin password 4b1';

/** The directory settings a company's Owner types for this test directory at `url` (directory.configure, password included). */
export function directorySettings(url: string) {
  return {
    settings: {
      connector: 'ldap',
      url,
      bindDn: ADMIN_DN,
      baseDn: `ou=people,${BASE_DN}`,
      filter: '(objectClass=inetOrgPerson)',
      departmentAttribute: 'departmentNumber',
      emailAttribute: 'mail',
    },
    secret: ADMIN_PASSWORD,
  };
}

/** Why the directory tests cannot run here, or null when Debian's slapd is installed (.ci/run installs it). */
export function slapdMissing(): string | null {
  return existsSync(SLAPD) && existsSync(SLAPADD) ? null : `OpenLDAP's slapd is not installed (${SLAPD}); apt-get install slapd ldap-utils`;
}

export interface Person {
  uid: string;
  mail: string;
  departments: string[];
}

export interface TestDirectory {
  url: string;
  /** A client bound as the directory's administrator, to change the fixture between syncs. */
  admin(): Promise<Client>;
  close(): Promise<void>;
}

function personLdif(p: Person): string {
  return [
    `dn: uid=${p.uid},ou=people,${BASE_DN}`,
    'objectClass: inetOrgPerson',
    `uid: ${p.uid}`,
    `cn: ${p.uid}`,
    `sn: ${p.uid}`,
    `mail: ${p.mail}`,
    ...p.departments.map((d) => `departmentNumber: ${d}`),
    '',
  ].join('\n');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A real OpenLDAP server for tests: its own config and database in a temp folder, the people
 * loaded with slapadd from an LDIF fixture, listening on a loopback port only.
 */
export async function startSlapd(people: readonly Person[]): Promise<TestDirectory> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-slapd-'));
  mkdirSync(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      `suffix "${BASE_DN}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw "${ADMIN_PASSWORD}"`,
      `directory ${join(dir, 'db')}`,
      '',
    ].join('\n'),
  );
  const ldif = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: contoso\no: Contoso\n`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people\n`,
    ...people.map(personLdif),
  ].join('\n');
  writeFileSync(join(dir, 'fixture.ldif'), ldif);
  const loaded = spawnSync(SLAPADD, ['-f', conf, '-l', join(dir, 'fixture.ldif')], { encoding: 'utf8' });
  if (loaded.status !== 0) throw new Error(`slapadd failed: ${loaded.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d keeps slapd in the foreground, so the test owns the process and ends it.
  const child: ChildProcess = spawn(SLAPD, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: 'ignore' });
  const admin = async () => {
    const client = new Client({ url, timeout: 5000, connectTimeout: 5000 });
    await client.bind(ADMIN_DN, ADMIN_PASSWORD);
    return client;
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      await (await admin()).unbind();
      break;
    } catch (error) {
      if (attempt >= 50 || child.exitCode !== null) throw new Error(`slapd did not start: ${String(error)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    admin,
    close: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
