// The MDN HTTP Observatory (npm @mdn/mdn-http-observatory) grades Hush's pages when served behind
// TLS, as an operator would run it: a TLS-terminating proxy on :443 in front of the app and a
// plain-HTTP redirect on :80, with a certificate the scanner trusts. Needs ports 80 and 443 on
// 127.0.0.1 (CI and development machines here run as root).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, request, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, tempDir, type TestServer } from './helpers/server.js';

let app: TestServer;
let tls: Server;
let plain: Server;
let dir: string;

beforeAll(async () => {
  // The package's install script downloads the HSTS preload list; offline we give it an empty one
  // (localhost is not on it anyway).
  const pkg = dirname(createRequire(import.meta.url).resolve('@mdn/mdn-http-observatory/package.json'));
  const preload = join(pkg, 'conf', 'hsts-preload.json');
  if (!existsSync(preload)) {
    mkdirSync(dirname(preload), { recursive: true });
    writeFileSync(preload, '{}');
  }
  dir = tempDir('hush-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  app = await startServer();
  const target = new URL(app.url);
  // What Caddy or nginx does in front of Hush: terminate TLS, pass the request through.
  tls = createHttps({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  plain = createHttp((req, res) => res.writeHead(301, { location: `https://localhost${req.url ?? '/'}` }).end());
  await new Promise<void>((r, j) => tls.once('error', j).listen(443, '127.0.0.1', r));
  await new Promise<void>((r, j) => plain.once('error', j).listen(80, '127.0.0.1', r));
});

afterAll(async () => {
  await Promise.all([new Promise((r) => tls.close(r)), new Promise((r) => plain.close(r))]);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the scanner (on https://localhost/ and http://localhost/; the library takes no port or
 * path) in a child process that trusts our test certificate.
 */
function scan(): Promise<{ grade: string; score: number; failed: string[] }> {
  const code = `
    import { scan } from '@mdn/mdn-http-observatory';
    const r = await scan('localhost');
    process.stdout.write(JSON.stringify({ grade: r.scan.grade, score: r.scan.score, failed: Object.values(r.tests).filter((t) => !t.pass).map((t) => t.result) }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (c) => (c === 0 ? resolve(JSON.parse(out) as { grade: string; score: number; failed: string[] }) : reject(new Error(err))));
  });
}

describe('MDN HTTP Observatory', () => {
  it('grades the create page A+ behind TLS', async () => {
    const result = await scan();
    expect(result.failed).toEqual([]);
    expect(result.grade).toBe('A+');
    expect(result.score).toBeGreaterThanOrEqual(100);
  });
});
