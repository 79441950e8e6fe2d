import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../main/transports/http/server';
import { HttpClient } from '../helpers/http-client';
import { tempSteward, type TestSteward } from '../helpers/temp-steward';

/** A careless client at the HTTP boundary: a malformed operation name is its own error, not an internal one. */
let steward: TestSteward;
let server: WebServer;
let client: HttpClient;

beforeAll(async () => {
  steward = tempSteward();
  server = await startWebServer({ dispatcher: steward.dispatcher, port: 0 });
  client = new HttpClient(server.url);
  await client.primeCsrf();
});

afterAll(async () => {
  await server.close();
  steward.cleanup();
});

describe('review: HTTP operation names', () => {
  it('a broken percent-escape in the operation name answers UNKNOWN_OPERATION (404), not INTERNAL', async () => {
    const answer = await client.call('devices.list%E0%A4%A', {});
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });
});
