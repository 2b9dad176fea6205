// The reverse-proxy setups of docs/operations.md, run for real: Debian's Caddy and nginx with the
// very lines the docs give, in front of a Hush that trusts them. Regression for an outside
// review's finding: behind the documented proxies, a client rotating CF-Connecting-IP escaped the
// failed-read limit (45 failures, no 429), because Hush preferred that header and the proxies
// passed the client's copy through.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uEncode } from '../src/protocol/index.js';
import { parseRates } from '../src/server/config.js';
import { freePort, startServer, tempDir, type TestServer } from './helpers/server.js';
import { makeSecret, post } from './helpers/api.js';

const docs = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
const LOCK = 'change-me-long-random-value'; // the nginx example's own placeholder

/** The fenced block of `lang` under the docs heading `heading`. */
function docBlock(heading: string, lang: string): string {
  const section = docs.slice(docs.indexOf(`## ${heading}`));
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!m) throw new Error(`docs/operations.md has no ${lang} block under "${heading}"`);
  return m[1]!;
}

/** From `start` (a line opening a brace) to its matching closing brace, inclusive. */
function braceBlock(text: string, start: string): string {
  const at = text.indexOf(start);
  if (at === -1) throw new Error(`no "${start}" in the docs example`);
  let depth = 0;
  for (let i = text.indexOf('{', at); i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(at, i + 1);
  }
  throw new Error(`unbalanced braces after "${start}"`);
}

interface Proxy {
  url: string;
  stop: () => Promise<void>;
}

async function waitForPort(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the proxy exited: ${output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the proxy did not listen: ${output()}`);
}

async function run(command: string, args: string[], env: Record<string, string>, url: string): Promise<Proxy> {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await waitForPort(url, child, () => output);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Caddy with the docs' reverse_proxy block, plain HTTP on a free loopback port. */
async function caddy(upstream: number, dir: string): Promise<Proxy> {
  const port = await freePort();
  const block = braceBlock(docBlock('Behind Caddy', 'caddyfile'), 'reverse_proxy 127.0.0.1:8080').replace('127.0.0.1:8080', `127.0.0.1:${String(upstream)}`);
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n}\nhttp://127.0.0.1:${String(port)} {\n\t${block}\n}\n`);
  return run('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HUSH_ORIGIN_LOCK: LOCK }, `http://127.0.0.1:${String(port)}`);
}

/** nginx with the docs' location block and body size, plain HTTP on a free loopback port. */
async function nginx(upstream: number, dir: string): Promise<Proxy> {
  const port = await freePort();
  const example = docBlock('Behind nginx', 'nginx');
  const location = braceBlock(example, 'location / {').replace('127.0.0.1:8080', `127.0.0.1:${String(upstream)}`);
  const bodySize = /client_max_body_size [^;]+;/.exec(example)?.[0] ?? '';
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\nhttp {\n` +
      `  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n` +
      `  server {\n    listen 127.0.0.1:${String(port)};\n    ${bodySize}\n    ${location}\n  }\n}\n`,
  );
  return run('nginx', ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], {}, `http://127.0.0.1:${String(port)}`);
}

/** Hush on `port` behind the proxy, reading the client from `header`. */
const hushOn = (port: number, clientIpHeader: string): Promise<TestServer> =>
  startServer({
    port,
    rateLimit: true,
    rateFailed: parseRates('5/min'),
    rateRead: parseRates('1000/min'),
    rateCreate: parseRates('100/min'),
    trustedProxies: ['loopback'],
    clientIpHeader,
    originLock: LOCK,
  });

describe.each([
  ['Caddy', caddy],
  ['nginx', nginx],
])('behind %s as docs/operations.md sets it up', (_name, start) => {
  let port: number;
  let proxy: Proxy;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    port = await freePort();
    proxy = await start(port, tempDir('hush-proxy-'));
    cleanup.push(() => proxy.stop());
  });
  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('the proxy carries a full-size secret and the origin lock; Hush alone refuses the request', async () => {
    const s = await hushOn(port, 'x-forwarded-for');
    try {
      const m = await makeSecret(proxy.url, { message: 'x'.repeat(9 * 1024 * 1024) });
      expect((await post(`${proxy.url}/api/v1/secrets/${m.id}/peek`, { auth: m.auth })).status).toBe(200);
      expect((await post(`${s.url}/api/v1/secrets/${m.id}/peek`, { auth: m.auth })).status).toBe(403);
    } finally {
      await s.close();
    }
  });

  // The default header, and every other one an operator might choose: the proxy sets or strips
  // each, so none lets a client pick its address.
  it.each(['x-forwarded-for', 'cf-connecting-ip', 'x-real-ip', 'true-client-ip'])(
    'with HUSH_CLIENT_IP_HEADER=%s, a client rotating X-Forwarded-For, CF-Connecting-IP, X-Real-IP and True-Client-IP meets 429',
    async (header) => {
      const s = await hushOn(port, header);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          const res = await fetch(`${proxy.url}/api/v1/secrets/${b64uEncode(randomBytes(16))}/peek`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-forwarded-for': `203.0.113.${String(i + 1)}`,
              'cf-connecting-ip': `192.0.2.${String(i + 1)}`,
              'x-real-ip': `198.51.100.${String(i + 1)}`,
              'true-client-ip': `198.18.0.${String(i + 1)}`,
            },
            body: JSON.stringify({ auth: b64uEncode(randomBytes(32)) }),
          });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
        expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429, 429, 429, 429, 429, 429]);
        // Hush saw the client's real address (or the proxy's, for a header the proxy strips),
        // never one the client chose.
        const lines = s.logs.filter((l) => l.includes('/peek'));
        expect(lines.length).toBeGreaterThanOrEqual(12);
        for (const l of lines) expect(JSON.parse(l)).toMatchObject({ req: { remoteAddress: '127.0.0.1' } });
      } finally {
        await s.close();
      }
    },
  );
});
