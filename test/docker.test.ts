// The container image (Dockerfile), built for real on this machine and run with Docker: the
// stand-in base image (Debian bookworm from Debian's mirror plus this machine's node; no registry
// is reachable here), the real multi-stage build on it, and containers run read-only, as non-root,
// with --network host only. Checks the round trip through the container, health, SIGTERM, data and
// keys surviving a restart on the volume, and two containers on one PostgreSQL and on one Redis
// passing the cross-instance single-read race. With CI=true a missing Docker is a failure.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solvePow, type PowChallenge } from '../src/client/pow.js';
import { sealSecret } from '../src/protocol/index.js';
import { makeSecret, post, req, type Raw } from './helpers/api.js';
import { hush } from './helpers/cli.js';
import { buildImage, docker, dockerOk, ensureDaemon, inspect, runContainer, standinBase, type Container } from './helpers/docker.js';
import { freePort } from './helpers/server.js';
import { MANDATORY, deleteRedisPrefix, detectPostgres, detectRedis, freshDatabase, requireService, runTag } from './helpers/services.js';

const IMAGE = 'hush:test';
const VOLUME = `hush-test-${runTag()}`;

let dockerReady: string | null = null;
try {
  await ensureDaemon();
  dockerReady = 'ok';
} catch (e) {
  if (MANDATORY) throw e;
  console.warn(`[skip] container tests: ${(e as Error).message} (set CI=true to make this a failure)`);
}
const pgUrl = dockerReady && requireService(await detectPostgres(), 'containers on PostgreSQL');
const redisUrl = dockerReady && requireService(await detectRedis(), 'containers on Redis');

const started: string[] = [];
async function run(options: Parameters<typeof runContainer>[1]): Promise<Container> {
  const c = await runContainer(IMAGE, options);
  started.push(c.name);
  return c;
}
const ports = async (): Promise<{ port: number; adminPort: number }> => ({ port: await freePort(), adminPort: await freePort() });

beforeAll(async () => {
  if (!dockerReady) return;
  const base = await standinBase();
  const { seconds } = await buildImage(base, IMAGE);
  const size = Number(await dockerOk(['image', 'inspect', '--format', '{{.Size}}', IMAGE]));
  const baseSize = Number(await dockerOk(['image', 'inspect', '--format', '{{.Size}}', base]));
  console.log(`image ${IMAGE} on ${base}: built in ${seconds.toFixed(0)} s; ${(size / 1e6).toFixed(0)} MB (${((size - baseSize) / 1e6).toFixed(1)} MB over the base)`);
}, 1_500_000);

afterAll(async () => {
  if (!dockerReady) return;
  if (started.length > 0) await docker(['rm', '--force', ...started]);
  await docker(['volume', 'rm', '--force', VOLUME]);
});

describe.skipIf(!dockerReady)('the image', () => {
  it('holds the built code and the production packages, nothing else, and declares user, port, volume and health check', async () => {
    const config = JSON.parse(await inspect(IMAGE, '{{json .Config}}')) as {
      User: string; ExposedPorts: Record<string, unknown>; Volumes: Record<string, unknown>; Env: string[]; Healthcheck: { Test: string[] }; Cmd: string[];
    };
    expect(config.User).toBe('10001:10001');
    expect(Object.keys(config.ExposedPorts)).toEqual(['8080/tcp']);
    expect(Object.keys(config.Volumes)).toEqual(['/data']);
    expect(config.Healthcheck.Test).toEqual(['CMD', 'node', '/app/dist/server/healthcheck.js']);
    // No key and no required setting is baked in: only where to listen and where the data lives.
    expect(config.Env.filter((e) => e.startsWith('HUSH_')).sort()).toEqual(['HUSH_HOST=0.0.0.0', 'HUSH_STORE=sqlite:/data/hush.db']);
    const listing = await dockerOk(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', IMAGE, '-c',
      'ls /app; echo ---; ls /app/node_modules; echo ---; command -v g++ make python3 || true; echo ---; ls /app/dist']);
    const [app, modules, compilers, dist] = listing.split('---\n').map((p) => p.trim().split('\n'));
    expect(app).toEqual(['bin', 'dist', 'node_modules', 'package.json']);
    for (const runtime of ['fastify', 'better-sqlite3', 'pg', 'ioredis', 'pino']) expect(modules).toContain(runtime);
    for (const dev of ['typescript', 'esbuild', 'vitest', 'eslint', 'playwright-core', 'lighthouse', 'fast-check']) expect(modules).not.toContain(dev);
    expect(compilers).toEqual(['']);
    expect(dist).toEqual(expect.arrayContaining(['server', 'cli', 'web']));
  });
});

describe.skipIf(!dockerReady)('one container on its volume, with the defaults', () => {
  let c: Container;
  beforeAll(async () => {
    c = await run({ ...(await ports()), volume: VOLUME });
    console.log(`cold start: docker run → /readyz 200 in ${String(c.coldStartMs)} ms`);
  }, 120_000);

  it('serves a secret once: the CLI on the host sends (solving the proof of work), the page opens, the CLI reads, then it is gone', async () => {
    const sent = await hush(['send', '--server', c.url], { input: 'through the container' });
    expect(sent.code).toBe(0);
    expect(sent.stderr).toMatch(/^manage: /);
    const link = sent.stdout.trim().split('\n')[0]!;
    expect(link).toMatch(new RegExp(`^${c.url}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    const page = await fetch(link.split('#')[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const opened = await hush(['open', link]);
    expect(opened.stdout).toBe('through the container');
    const again = await hush(['open', link]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
  });

  it('answers /readyz on the admin port, and Docker reports it healthy', async () => {
    const ready = await req(`${c.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready' });
    let health = '';
    for (let i = 0; i < 90 && health !== 'healthy'; i++) {
      health = await inspect(c.name, '{{.State.Health.Status}}');
      if (health !== 'healthy') await new Promise((r) => setTimeout(r, 500));
    }
    expect(health).toBe('healthy');
  }, 90_000);

  it('runs as an unprivileged user on a read-only root, writing only its private /data', async () => {
    expect(await inspect(c.name, '{{.HostConfig.ReadonlyRootfs}}')).toBe('true');
    expect(await dockerOk(['exec', c.name, 'id', '-u'])).toBe('10001');
    const write = await docker(['exec', c.name, 'sh', '-c', 'touch /app/dist/x']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
    const data = await dockerOk(['exec', c.name, 'sh', '-c', 'stat -c "%a %u %n" /data /data/hush.db /data/pow.key']);
    expect(data.split('\n')).toEqual(['700 10001 /data', '600 10001 /data/hush.db', '600 10001 /data/pow.key']);
  });

  it("serves exactly the pages of its own release: the image's hush verify passes", async () => {
    const r = await docker(['exec', c.name, 'hush', 'verify', c.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('keeps secrets and its proof-of-work key across a restart on the volume', async () => {
    const sent = await hush(['send', '--server', c.url, '--views', '2'], { input: 'kept on the volume' });
    const link = sent.stdout.trim().split('\n')[0]!;
    expect((await hush(['open', link])).stdout).toBe('kept on the volume');
    // A challenge solved against this container, spent against the next one.
    const solution = await solvePow((await req(`${c.url}/api/v1/challenge`)).json as PowChallenge);
    await dockerOk(['stop', c.name], { timeout: 30_000 });
    expect(await inspect(c.name, '{{.State.ExitCode}}')).toBe('0');
    const key = await dockerOk(['run', '--rm', '--network', 'host', '--volume', `${VOLUME}:/data`, '--entrypoint', 'cat', IMAGE, '/data/pow.key']);

    const next = await run({ ...(await ports()), volume: VOLUME });
    const opened = await hush(['open', link.replace(c.url, next.url)]);
    expect(opened.stdout).toBe('kept on the volume');
    const sealed = await sealSecret({ message: 'after the restart' });
    const created = await req(`${next.url}/api/v1/secrets`, { method: 'POST', json: sealed.body, headers: { 'x-hush-challenge': solution } });
    expect(created.status).toBe(201);
    expect(await dockerOk(['exec', next.name, 'cat', '/data/pow.key'])).toBe(key);
    c = next;
  }, 90_000);

  it('on SIGTERM finishes the request in flight, then exits 0 well within the stop timeout', async () => {
    const solution = await solvePow((await req(`${c.url}/api/v1/challenge`)).json as PowChallenge);
    const body = Buffer.from(JSON.stringify((await sealSecret({ message: 'sent while stopping' })).body));
    // A create whose body is half sent when the signal arrives.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const r = request(`${c.url}/api/v1/secrets`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'x-hush-challenge': solution } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      r.on('error', reject);
      r.write(body.subarray(0, body.length >> 1));
      setTimeout(() => r.end(body.subarray(body.length >> 1)), 1500);
    });
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    await dockerOk(['kill', '--signal', 'TERM', c.name]);
    const created = await answer;
    expect(created.status).toBe(201);
    const code = await dockerOk(['wait', c.name], { timeout: 30_000 });
    const seconds = (Date.now() - signalled) / 1000;
    expect(code).toBe('0');
    expect(seconds).toBeLessThan(10); // docker stop's default grace period before SIGKILL
    expect((await docker(['logs', c.name])).stdout).toContain('shutting down: finishing requests in flight');
    console.log(`SIGTERM → exit 0 in ${seconds.toFixed(1)} s (with a 1.5 s request in flight)`);
  }, 60_000);
});

const consume = (base: string, id: string, auth: string): Promise<Raw> => post(`${base}/api/v1/secrets/${id}/consume`, { auth });

/** Two containers on one store: a secret made on one is read on the other, and 400 racing consumes have `views` winners. */
function sharedStore(store: () => string): void {
  let a: Container;
  let b: Container;
  beforeAll(async () => {
    // Several instances share one challenge key and switch the per-client limits off here: 400
    // consumes come from one address.
    const env = { HUSH_STORE: store(), HUSH_POW_KEY: runTag() + runTag(), HUSH_CHALLENGE: 'off', HUSH_RATE_LIMIT: 'off' };
    [a, b] = await Promise.all([run({ ...(await ports()), env }), run({ ...(await ports()), env })]);
  }, 120_000);

  it('a secret made on one container is read on the other, once', async () => {
    const m = await makeSecret(a.url);
    const read = await consume(b.url, m.id, m.auth);
    expect(read.status).toBe(200);
    expect((read.json as { ciphertext: string }).ciphertext).toBe(m.ciphertext);
    expect((await consume(a.url, m.id, m.auth)).status).toBe(404);
  });

  it('400 concurrent consumes spread over both containers: exactly the allowed views win', async () => {
    for (const views of [1, 3]) {
      const m = await makeSecret(b.url, { views });
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => consume(i % 2 === 0 ? a.url : b.url, m.id, m.auth)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(views);
      expect(statuses.filter((s) => s !== 200 && s !== 404)).toEqual([]);
    }
  });
}

describe.skipIf(!pgUrl)('two containers on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(pgUrl!);
  });
  afterAll(async () => {
    await db.drop();
  });
  sharedStore(() => db.url);
});

describe.skipIf(!redisUrl)('two containers on one Redis', () => {
  const prefix = `hush-docker-${runTag()}:`;
  afterAll(async () => {
    await deleteRedisPrefix(redisUrl!, prefix);
  });
  sharedStore(() => `${redisUrl!}?prefix=${encodeURIComponent(prefix)}`);
});
