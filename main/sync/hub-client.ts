import { Agent, request } from 'node:https';
import { connect, rootCertificates, type PeerCertificate } from 'node:tls';
import { createParser } from 'eventsource-parser';
import type { Result } from '../../shared/result';

/** The hub as a replica knows it: its address and the certificate its person confirmed. */
export interface HubPin {
  /** https://host:port/ */
  url: string;
  /** SHA-256, colon-separated upper-case hex. */
  fingerprint: string;
  /** PEM. */
  certificate: string;
}

/** The hub could not be reached (or answered something that is not Steward's): the replica is offline. */
export class HubUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubUnreachable';
  }
}

/** `AB:CD:…` from any spacing or case a person may paste. */
export function normalizeFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/** Checks a URL a person typed: https only, with a host; answers the origin with a trailing slash. */
export function hubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('url: not an address (for example https://hub.example:4790/)');
  }
  if (url.protocol !== 'https:') throw new Error('url: a hub is reached over https');
  return `${url.origin}/`;
}

/**
 * The certificate the hub presents, before anything is sent to it: the person compares its
 * fingerprint with the one the hub printed (or the administrator gave), and the replica pins it.
 */
export function fetchCertificate(url: string, timeoutMs = 10_000): Promise<{ certificate: string; fingerprint: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(target.port || 443),
      rejectUnauthorized: false,
      servername: /^[\d.]+$|:/.test(target.hostname) ? undefined : target.hostname,
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')));
    socket.once('secureConnect', () => {
      const peer: PeerCertificate = socket.getPeerCertificate();
      socket.end();
      if (!peer.raw) return reject(new HubUnreachable('The hub presented no certificate'));
      const pem = `-----BEGIN CERTIFICATE-----\n${
        peer.raw
          .toString('base64')
          .match(/.{1,64}/g)
          ?.join('\n') ?? ''
      }\n-----END CERTIFICATE-----\n`;
      resolve({ certificate: pem, fingerprint: peer.fingerprint256 });
    });
    socket.once('error', (error) => reject(new HubUnreachable(`The hub at ${target.host} cannot be reached: ${error.message}`)));
  });
}

/** How a replica reaches its hub: HTTPS (HubClient), or in-process in tests of sync itself. */
export interface HubTransport {
  setToken(token: string | null): void;
  post<T>(path: string, body: unknown): Promise<Result<T>>;
  listen(onChange: () => void, onEnd: (error: Error) => void): () => void;
  close(): void;
}

/** Opens a transport to the hub `pin` names; `certificate` answers what the hub presents before anything is sent (fetchCertificate). */
export interface HubLink {
  certificate(url: string): Promise<{ certificate: string; fingerprint: string }>;
  open(pin: HubPin, token: string | null): HubTransport;
}

export const httpsLink: HubLink = {
  certificate: (url) => fetchCertificate(url),
  open: (pin, token) => new HubClient(pin, token),
};

/**
 * Talks to one hub over HTTPS with its certificate pinned: the connection is trusted when the
 * chain verifies (the public roots, or the pinned certificate itself when it is self-signed)
 * and the certificate's fingerprint is the pinned one, whatever name it carries.
 */
export class HubClient implements HubTransport {
  private readonly agent: Agent;

  constructor(
    private readonly pin: HubPin,
    private token: string | null = null,
  ) {
    this.agent = new Agent({
      keepAlive: true,
      ca: [...rootCertificates, pin.certificate],
      checkServerIdentity: (_host, cert) =>
        cert.fingerprint256 === pin.fingerprint
          ? undefined
          : new Error(`the hub's certificate changed (fingerprint ${cert.fingerprint256}, pinned ${pin.fingerprint})`),
    });
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  /** POSTs JSON to `path`; answers the hub's Result, or throws HubUnreachable when there is no usable answer. */
  post<T>(path: string, body: unknown, timeoutMs = 120_000): Promise<Result<T>> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.pin.url),
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(text),
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<T>;
              if (typeof parsed !== 'object' || parsed === null || typeof parsed.ok !== 'boolean') throw new Error('not a result');
              resolve(parsed);
            } catch {
              reject(new HubUnreachable(`The hub answered ${path} with something that is not Steward's (HTTP ${res.statusCode ?? '?'})`));
            }
          });
          res.on('error', (error) => reject(new HubUnreachable(`The hub's answer broke off: ${error.message}`)));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) => reject(new HubUnreachable(`The hub cannot be reached: ${error.message}`)));
      req.end(text);
    });
  }

  /**
   * Listens to the hub's change events (Server-Sent Events): `onChange` for each, `onEnd`
   * once when the stream ends or fails. Answers a function that stops listening.
   */
  listen(onChange: () => void, onEnd: (error: Error) => void): () => void {
    let ended = false;
    const end = (error: Error) => {
      if (ended) return;
      ended = true;
      onEnd(error);
    };
    const parser = createParser({ onEvent: (event) => event.event === 'change' && onChange() });
    const req = request(
      new URL('sync/events', this.pin.url),
      {
        method: 'GET',
        agent: this.agent,
        headers: { Accept: 'text/event-stream', ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return end(new HubUnreachable(`The hub refused its event stream (HTTP ${res.statusCode ?? '?'})`));
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('end', () => end(new HubUnreachable('The hub closed its event stream')));
        res.on('error', (error) => end(new HubUnreachable(error.message)));
      },
    );
    req.on('error', (error) => end(new HubUnreachable(`The hub cannot be reached: ${error.message}`)));
    req.end();
    return () => {
      ended = true;
      req.destroy();
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
