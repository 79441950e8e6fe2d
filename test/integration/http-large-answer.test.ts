import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '../../main/transports/http/server';
import { LARGE_STRING } from '../../main/transports/http/json-body';

/**
 * Issue 17, no request waits behind another: an answer holding a very long string (a
 * million-device export is about 100 MB) is written in slices over real HTTP on loopback,
 * the event loop free between them, and reads back as exactly the JSON it was.
 */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(body: unknown, seen: { endedBeforeNextTurn?: boolean }): Promise<string> {
  const server = createServer((_req, res) => {
    sendJson(res, 200, { ok: true, value: body });
    // What ran right after the answer began: had the whole answer already been written?
    setImmediate(() => (seen.endedBeforeNextTurn = res.writableEnded));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('HTTP answers with a very long string', () => {
  it('are written in slices, the event loop free between them, and read back exactly (escapes, surrogate pairs on a slice edge, a forged marker)', async () => {
    // CSV lines with quotes, CRLF, a tab, non-ASCII, and an emoji straddling every slice edge (2^18 characters).
    const line = '"ACME ""SRV""",server,Windows\t11,ok,2024-04-30T12:00:00.000Z,Ärzte / Zürich\r\n';
    let big = line.repeat(Math.ceil((3 * LARGE_STRING) / line.length));
    big = `${big.slice(0, (1 << 18) - 1)}😀${big.slice((1 << 18) - 1)}`;
    // A string that looks like the writer's placeholder must come back as itself.
    const body = { content: big, filename: 'devices.csv', rows: 3, note: '\u0000forged:0\u0000', second: `${big}tail` };
    const seen: { endedBeforeNextTurn?: boolean } = {};
    const url = await serve(body, seen);
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ ok: true, value: body });
    expect(seen.endedBeforeNextTurn).toBe(false);
  });

  it('shorter answers are written at once, with their length', async () => {
    const seen: { endedBeforeNextTurn?: boolean } = {};
    const body = { content: 'x'.repeat(1000) };
    const res = await fetch(await serve(body, seen));
    expect(res.headers.get('content-length')).toBe(String(JSON.stringify({ ok: true, value: body }).length));
    expect(await res.json()).toEqual({ ok: true, value: body });
    expect(seen.endedBeforeNextTurn).toBe(true);
  });
});
