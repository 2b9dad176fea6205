// A stand-in for Cloudflare's Turnstile siteverify endpoint on 127.0.0.1 (Cloudflare is not
// reachable here): it hands each form the server posts to `answer`, and replies with what that
// returns as JSON, or 502 for null (the endpoint being down).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Siteverify {
  /** The URL to give as HUSH_TURNSTILE_VERIFY_URL. */
  url: string;
  close: () => Promise<void>;
}

export async function startSiteverify(answer: (form: URLSearchParams) => object | null): Promise<Siteverify> {
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      const reply = answer(new URLSearchParams(data));
      if (reply === null) res.writeHead(502).end('bad gateway');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/siteverify`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
