// The database going away: a real server process on a throwaway PostgreSQL (initdb in a temp dir)
// and on a throwaway redis-server, each on a random port — never the shared services. Stopped,
// killed or frozen, the store makes requests answer 503 unavailable quickly (no hang) and /readyz
// turn red; when it comes back, service recovers by itself, and no secret is ever read twice.
// Needs `npm run build` first.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSecret } from '../src/protocol/index.js';
import { makeSecret, post, req, type Made, type Raw } from './helpers/api.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { MANDATORY, serverBinaries } from './helpers/services.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');

const bins = serverBinaries();
if (!bins.ok) {
  if (MANDATORY) throw new Error(`fault tests: ${bins.reason} — mandatory with CI=true`);
  console.warn(`[skip] fault tests: ${bins.reason} (set CI=true to make this a failure)`);
}

/** Generous upper bound on a refusal: it only detects hangs (timeouts are 2 s, plus margin). */
const FAST = 3_000;
const measured: Record<string, number> = {};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        if (a !== null && typeof a === 'object') resolve(a.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, Math.round(performance.now() - t)];
}

/** Polls until `f` is true; resolves with the milliseconds it took. */
async function until(f: () => Promise<boolean>, limit = 20_000): Promise<number> {
  const t = performance.now();
  while (performance.now() - t < limit) {
    if (await f().catch(() => false)) return Math.round(performance.now() - t);
    await sleep(50);
  }
  throw new Error('condition not met in time');
}

/** Child pids of `pid` (from /proc), for freezing a PostgreSQL cluster we started. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function startServer(store: string): Promise<{ proc: ServerProcess; adminUrl: string }> {
  const proc = await startProcess({ HUSH_STORE: store, HUSH_ADMIN_PORT: '0' });
  let adminUrl = '';
  await until(() => {
    const m = /Admin listener \([^)]*\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output());
    if (m) adminUrl = m[1]!;
    return Promise.resolve(m !== null);
  }, 10_000);
  return { proc, adminUrl };
}

const consume = (base: string, m: Made): Promise<Raw> => post(`${base}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
const ready = async (adminUrl: string): Promise<number> => (await req(`${adminUrl}/readyz`)).status;
const code = (r: Raw): string | undefined => (r.json as { error?: { code: string } } | undefined)?.error?.code;

/** The checks both stores go through while their database is down. */
async function expectUnavailable(label: string, url: string, adminUrl: string, secret: Made): Promise<void> {
  const [read, readMs] = await timed(() => consume(url, secret));
  expect(read.status).toBe(503);
  expect(code(read)).toBe('unavailable');
  expect(read.headers.get('retry-after')).not.toBeNull();
  expect(readMs).toBeLessThan(FAST);
  const [readyStatus, readyMs] = await timed(() => ready(adminUrl));
  expect(readyStatus).toBe(503);
  expect(readyMs).toBeLessThan(FAST);
  const sealed = await sealSecret({ message: 'made during the outage' });
  const [created, createMs] = await timed(() => post(`${url}/api/v1/secrets`, sealed.body));
  expect(created.status).toBe(503);
  expect(code(created)).toBe('unavailable');
  expect(createMs).toBeLessThan(FAST);
  measured[`${label}: consume 503`] = readMs;
  measured[`${label}: /readyz 503`] = readyMs;
}

afterAll(() => {
  if (Object.keys(measured).length > 0) console.log(`fault detection and recovery times (ms): ${JSON.stringify(measured)}`);
});

describe.skipIf(!bins.ok)('PostgreSQL going away', () => {
  let dir = '';
  let data = '';
  let port = 0;
  let server: { proc: ServerProcess; adminUrl: string } | undefined;
  const pgBin = bins.ok ? bins.pgBin : '';
  // PostgreSQL refuses to run as root: run its tools as the postgres user then.
  const asPostgres = process.getuid?.() === 0;
  const pgTool = (tool: string, args: string[]): void => {
    const cmd = asPostgres ? 'runuser' : `${pgBin}/${tool}`;
    const full = asPostgres ? ['-u', 'postgres', '--', `${pgBin}/${tool}`, ...args] : args;
    execFileSync(cmd, full, { stdio: 'ignore', timeout: 30_000 });
  };
  const pgStart = (): void => {
    pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${String(port)} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  };
  const pgStop = (): void => {
    pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  const postmasterPid = (): number => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hush-pg-'));
    data = join(dir, 'data');
    if (asPostgres) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    port = await freePort();
    pgStart();
    server = await startServer(`postgres://postgres@127.0.0.1:${String(port)}/postgres`);
  }, 60_000);

  afterAll(async () => {
    if (dir === '') return;
    server?.proc.child.kill('SIGTERM');
    await server?.proc.exited;
    try {
      pgStop();
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('stopped: 503 and red readiness at once; restarted: recovers by itself; nothing read twice', async () => {
    const { proc, adminUrl } = server!;
    const { url } = proc;
    const waiting = await makeSecret(url);
    const readBefore = await makeSecret(url);
    const racing = await makeSecret(url);
    expect((await consume(url, readBefore)).status).toBe(200);
    expect(await ready(adminUrl)).toBe(200);

    // Consumes in flight while the database crashes: at most one may win, now or later.
    const inFlight = Array.from({ length: 50 }, () => consume(url, racing));
    pgStop();
    const during = await Promise.all(inFlight);
    await expectUnavailable('postgres stopped', url, adminUrl, waiting);

    pgStart();
    measured['postgres restarted: ready again'] = await until(async () => (await ready(adminUrl)) === 200);
    expect((await consume(url, waiting)).status).toBe(200);
    expect((await consume(url, waiting)).status).toBe(404);
    expect((await consume(url, readBefore)).status).toBe(404);
    const after = await Promise.all(Array.from({ length: 50 }, () => consume(url, racing)));
    const wins = [...during, ...after].filter((r) => r.status === 200);
    expect(wins.length).toBeLessThanOrEqual(1);
    expect([...during, ...after].every((r) => [200, 404, 503].includes(r.status))).toBe(true);
  }, 60_000);

  it('frozen (no answer at all): 503 after the timeout instead of a hang; thawed: recovers', async () => {
    const { proc, adminUrl } = server!;
    const { url } = proc;
    const waiting = await makeSecret(url);
    const racing = await makeSecret(url);
    // Fill the pool with open connections, so that the statements below are sent to frozen
    // backends (and run when they thaw, after the server stopped waiting: they must change nothing).
    await Promise.all(Array.from({ length: 40 }, () => post(`${url}/api/v1/secrets/${waiting.id}/peek`, { auth: waiting.auth })));
    const pids = [postmasterPid(), ...childrenOf(postmasterPid())];
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let during: Raw[] = [];
    try {
      const inFlight = Array.from({ length: 10 }, () => consume(url, racing));
      await expectUnavailable('postgres frozen', url, adminUrl, waiting);
      during = await Promise.all(inFlight);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    measured['postgres thawed: ready again'] = await until(async () => (await ready(adminUrl)) === 200);
    expect((await consume(url, waiting)).status).toBe(200);
    expect((await consume(url, waiting)).status).toBe(404);
    const after = await Promise.all(Array.from({ length: 20 }, () => consume(url, racing)));
    expect([...during, ...after].filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe.skipIf(!bins.ok)('Redis going away', () => {
  let dir = '';
  let port = 0;
  let redis: ChildProcess | null = null;
  let server: { proc: ServerProcess; adminUrl: string } | undefined;

  // An append-only file fsynced on every write, so that a kill -9 loses no acknowledged change.
  const redisStart = async (): Promise<void> => {
    const child = spawn(
      bins.ok ? bins.redisServer : 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir],
      { stdio: 'ignore' },
    );
    redis = child;
    await until(async () => {
      const r = await new Promise<boolean>((resolve) => {
        const s = createServer();
        s.once('error', () => resolve(true)); // port taken: redis is listening
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
      });
      return r;
    }, 10_000);
  };
  const redisKill = async (): Promise<void> => {
    const child = redis;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hush-redis-'));
    port = await freePort();
    await redisStart();
    server = await startServer(`redis://127.0.0.1:${String(port)}/0?prefix=hush-fault:`);
  }, 60_000);

  afterAll(async () => {
    if (dir === '') return;
    server?.proc.child.kill('SIGTERM');
    await server?.proc.exited;
    redis?.kill('SIGCONT');
    await redisKill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('killed: 503 and red readiness at once; restarted: recovers by itself; nothing read twice', async () => {
    const { proc, adminUrl } = server!;
    const { url } = proc;
    const waiting = await makeSecret(url);
    const readBefore = await makeSecret(url);
    const racing = await makeSecret(url);
    expect((await consume(url, readBefore)).status).toBe(200);

    const inFlight = Array.from({ length: 50 }, () => consume(url, racing));
    await redisKill();
    const during = await Promise.all(inFlight);
    await expectUnavailable('redis killed', url, adminUrl, waiting);

    await redisStart();
    measured['redis restarted: ready again'] = await until(async () => (await ready(adminUrl)) === 200);
    expect((await consume(url, waiting)).status).toBe(200);
    expect((await consume(url, waiting)).status).toBe(404);
    expect((await consume(url, readBefore)).status).toBe(404);
    const after = await Promise.all(Array.from({ length: 50 }, () => consume(url, racing)));
    expect([...during, ...after].filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect([...during, ...after].every((r) => [200, 404, 503].includes(r.status))).toBe(true);
  }, 60_000);

  it('frozen (no answer at all): 503 after the timeout instead of a hang; thawed: recovers', async () => {
    const { proc, adminUrl } = server!;
    const { url } = proc;
    const waiting = await makeSecret(url);
    const racing = await makeSecret(url);
    const child = redis!;
    child.kill('SIGSTOP');
    let during: Raw[] = [];
    try {
      const inFlight = Array.from({ length: 20 }, () => consume(url, racing));
      await expectUnavailable('redis frozen', url, adminUrl, waiting);
      during = await Promise.all(inFlight);
    } finally {
      child.kill('SIGCONT');
    }
    measured['redis thawed: ready again'] = await until(async () => (await ready(adminUrl)) === 200);
    expect((await consume(url, waiting)).status).toBe(200);
    expect((await consume(url, waiting)).status).toBe(404);
    const after = await Promise.all(Array.from({ length: 20 }, () => consume(url, racing)));
    expect([...during, ...after].filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
