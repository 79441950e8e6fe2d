import { describe, expect, it } from 'vitest';
import { contract, type DirectorySettings } from '../../shared/contract';
import { namesInputField } from '../../shared/contract/input-fields';
import { draftsFrom, EMPTY_DRAFTS, FORM_FIELDS, readKeyFile } from '../../renderer/src/groups/directory/connection-drafts';

/** The Departments tab's connection form (issue 14): what it sends and what it reads from a Google key file. */
describe('directory connection form', () => {
  it('every field the form marks is a field of directory.configure, so a refusal lands next to its box', () => {
    for (const field of FORM_FIELDS) expect(namesInputField(contract['directory.configure'].input, field), field).toBe(true);
  });

  it('each connector’s empty draft is what the contract fills in, with the vendors’ own addresses', () => {
    for (const draft of Object.values(EMPTY_DRAFTS)) {
      const parsed = contract['directory.configure'].input.safeParse({ companyId: 'c', baseVersion: 0, settings: draft, enabled: false });
      // Empty names and ids are refused, but never for an unknown field or an address in the wrong form.
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
      expect(
        issues.every((p) => !/Url$/.test(p)),
        issues.join(', '),
      ).toBe(true);
    }
    expect(EMPTY_DRAFTS.graph).toMatchObject({ loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com' });
    expect(EMPTY_DRAFTS.google).toMatchObject({ tokenUrl: 'https://oauth2.googleapis.com/token', apiUrl: 'https://admin.googleapis.com' });
  });

  it('the stored settings take their connector’s place; the others stay as the empty drafts', () => {
    const stored: DirectorySettings = {
      connector: 'graph',
      tenantId: 'contoso.test',
      clientId: 'app',
      loginUrl: 'https://login.microsoftonline.us',
      graphUrl: 'https://graph.microsoft.us',
    };
    expect(draftsFrom(stored)).toEqual({ ...EMPTY_DRAFTS, graph: stored });
    expect(draftsFrom(null)).toEqual(EMPTY_DRAFTS);
  });

  it('reads client_email and private_key from a Google service account key file, and nothing from anything else', () => {
    const file = JSON.stringify({
      type: 'service_account',
      project_id: 'contoso-directory',
      private_key_id: 'abc',
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
      client_email: 'sync@contoso-directory.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    });
    expect(readKeyFile(file)).toEqual({
      clientEmail: 'sync@contoso-directory.iam.gserviceaccount.com',
      privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    });
    expect(readKeyFile('-----BEGIN PRIVATE KEY-----')).toBeNull();
    expect(readKeyFile('{"client_email": 1}')).toBeNull();
    expect(readKeyFile('null')).toBeNull();
  });
});
