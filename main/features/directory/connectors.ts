import * as oidc from 'openid-client';
import { ZodError } from 'zod';
import type { DirectoryEntry, DirectorySettings } from '../../../shared/contract';
import { failureReason } from '../sso/oidc';
import { googleSource, readGoogle } from './google';
import { graphSource, readGraph } from './graph';
import { ldapSource, readLdap } from './ldap';
import { DirectoryApiError } from './web-api';

/** What the connector's secret is called, as the Departments tab and refusals name it. */
export const SECRET_LABEL: Record<DirectorySettings['connector'], string> = {
  ldap: 'bind password',
  graph: 'client secret',
  google: 'service account private key',
};

/** Reads a company's directory with its connector and secret (an empty string when none is stored). */
export function readConnector(settings: DirectorySettings, secret: string): Promise<DirectoryEntry[]> {
  switch (settings.connector) {
    case 'ldap':
      return readLdap(settings, secret);
    case 'graph':
      return readGraph(settings, secret);
    case 'google':
      return readGoogle(settings, secret);
  }
}

/** "synced from …": where the departments came from, without credentials. */
export function directorySource(settings: DirectorySettings): string {
  switch (settings.connector) {
    case 'ldap':
      return ldapSource(settings);
    case 'graph':
      return graphSource(settings);
    case 'google':
      return googleSource(settings);
  }
}

/**
 * R34: every address the stored secret, or a token it buys, is sent to. A secret is kept
 * across a change of settings only while this stays the same.
 */
export function secretDestination(settings: DirectorySettings): string {
  switch (settings.connector) {
    case 'ldap':
      return `ldap ${settings.url.replace(/\/$/, '').toLowerCase()}`;
    case 'graph':
      return `graph ${settings.loginUrl}/${settings.tenantId.toLowerCase()} ${settings.graphUrl}`;
    case 'google':
      return `google ${settings.tokenUrl} ${settings.apiUrl}`;
  }
}

/** A person-readable reason a directory could not be read, from the connector's error; never a secret. */
export function readFailure(error: unknown): string {
  if (error instanceof DirectoryApiError) return error.message.slice(0, 300);
  if (error instanceof ZodError) return 'the directory answered in a shape Steward does not know';
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError)
    return `the token was refused: ${failureReason(error)}`;
  if (!(error instanceof Error)) return String(error);
  // ldapts names the LDAP result by its error class.
  if (error.name === 'InvalidCredentialsError') return 'the directory refused the bind DN or password (Invalid credentials)';
  const message = error.message.trim();
  const named = error.name !== 'Error' ? error.name.replace(/Error$/, '') : '';
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return [named, `${message}${cause}`].filter(Boolean).join(': ').slice(0, 300);
}
