// HUSH_WORKERS=2: a primary and two worker processes behind one port (node:cluster), the built
// `node dist/server/main.js` on SQLite, PostgreSQL and Redis. Which process answered is read from
// the operating system (the primary's children in /proc, and which of them holds each accepted
// connection), never from anything the server tells a client. On each store: both workers serve;
// racing consumes of one secret give exactly as many 200s as it has views; a worker killed with
// SIGKILL under load is replaced while the other keeps answering, and no secret made before the
// kill is lost; SIGTERM stops everything and the primary exits 0. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { loadConfig } from '../src/server/config.js';
import { makeSecret, post, req, type Made } from './helpers/api.js';
import { tempDir } from './helpers/server.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, freshDatabase, requireService, runTag } from './helpers/services.js';

const pgUrl = requireService(await detectPostgres(), 'workers on PostgreSQL');
const redisUrl = requireService(await detectRedis(), 'workers on Redis');

interface Cluster {
  child: ChildProcess;
  url: string;
  port: number;
  adminUrl: string;
  exited: Promise<number | null>;
  output: () => string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(f: () => boolean | Promise<boolean>, limit = 15_000): Promise<void> {
  const t = Date.now();
  while (Date.now() - t < limit) {
    if (await f()) return;
    await sleep(25);
  }
  throw new Error('condition not met in time');
}

const running: Cluster[] = [];

/** Starts a primary with two workers; resolves once the primary says both listen. */
function startCluster(store: string): Promise<Cluster> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { PATH: process.env.PATH ?? '', HUSH_WORKERS: '2', HUSH_STORE: store, HUSH_PORT: '0', HUSH_ADMIN_PORT: '0', HUSH_RATE_LIMIT: 'off', HUSH_CHALLENGE: 'off', HUSH_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    void exited.then((code) => reject(new Error(`primary exited (${String(code)}) before listening: ${out}`)));
    until(() => /worker processes listening at/.test(out) && /Admin listener \([^)]*\) at/.test(out)).then(() => {
      const url = /worker processes listening at (http:\/\/127\.0\.0\.1:(\d+))/.exec(out)!;
      const admin = /Admin listener \([^)]*\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)!;
      const c = { child, url: url[1]!, port: Number(url[2]), adminUrl: admin[1]!, exited, output: () => out };
      running.push(c);
      resolve(c);
    }, () => reject(new Error(`no listening line: ${out}`)));
  });
}

// Whatever a failed test left running.
afterAll(() => {
  for (const c of running) c.child.kill('SIGKILL');
});

/** Processes whose parent is `pid` (/proc/<pid>/stat, field 4). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** How many established TCP connections on local port `port` process `pid` holds (its fds × /proc/net/tcp). */
function connectionsHeld(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${String(pid)}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${String(pid)}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address:port, f[3] state (01 = ESTABLISHED), f[9] inode
      if (f.length > 9 && f[1]!.endsWith(`:${hexPort}`) && f[3] === '01' && inodes.has(f[9]!)) n++;
    }
  }
  return n;
}

/** One GET over `agent` (node:http, so that its connections stay open in the agent). */
function getOver(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    r.on('error', reject);
    r.end();
  });
}

const consume = (base: string, m: Made): Promise<{ status: number }> => post(`${base}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });

/** The sum the admin listener serves for a counter (no labels). */
async function counter(adminUrl: string, name: string): Promise<number> {
  const text = (await req(`${adminUrl}/metrics`)).text;
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function clusterCases(label: string, storeFor: () => Promise<{ store: string; cleanup: () => Promise<void> }>, skip: boolean): void {
  describe.skipIf(skip)(`HUSH_WORKERS=2 on ${label}`, () => {
    let started: Cluster | undefined;
    const cluster = (): Cluster => {
      if (!started) throw new Error('the cluster did not start');
      return started;
    };
    let cleanup: () => Promise<void> = () => Promise.resolve();
    afterAll(async () => {
      if (started) {
        started.child.kill('SIGKILL');
        await started.exited;
      }
      await cleanup();
    });

    it('two worker processes serve the one port, and the admin listener sums their counts', async () => {
      const s = await storeFor();
      cleanup = s.cleanup;
      started = await startCluster(s.store);
      const c = started;
      const workers = childrenOf(c.child.pid!);
      expect(workers).toHaveLength(2);
      // 16 connections held open: the primary hands them to the workers in turn.
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      try {
        const statuses = await Promise.all(Array.from({ length: 16 }, () => getOver(agent, `${c.url}/api/v1/info`)));
        expect(statuses.every((x) => x === 200)).toBe(true);
        for (const pid of workers) expect(connectionsHeld(pid, c.port), `worker ${String(pid)}`).toBeGreaterThan(0);
        expect(connectionsHeld(c.child.pid!, c.port)).toBe(0);
      } finally {
        agent.destroy();
      }
      // Creates land on both workers; the scrape counts all of them, not one worker's.
      const before = await counter(c.adminUrl, 'hush_secrets_created_total');
      await Promise.all(Array.from({ length: 12 }, () => makeSecret(c.url)));
      expect(await counter(c.adminUrl, 'hush_secrets_created_total')).toBe(before + 12);
      expect((await req(`${c.adminUrl}/readyz`)).status).toBe(200);
    });

    it('racing consumes of one secret from many connections: exactly as many 200s as views', async () => {
      const c = cluster();
      for (const views of [1, 3]) {
        const m = await makeSecret(c.url, { views });
        const results = await Promise.all(Array.from({ length: 200 }, () => consume(c.url, m)));
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((x) => x === 200)).toHaveLength(views);
        expect(statuses.filter((x) => x !== 200 && x !== 404)).toEqual([]);
      }
    });

    it('a worker killed with SIGKILL under load: the other answers, a replacement starts, nothing made before is lost', async () => {
      const c = cluster();
      const before = await Promise.all(Array.from({ length: 20 }, () => makeSecret(c.url)));
      const created0 = await counter(c.adminUrl, 'hush_secrets_created_total');
      const [victim, survivor] = childrenOf(c.child.pid!);
      const made: Made[] = [];
      let failed = 0;
      let killedAt = Infinity;
      let answeredAfterKill = 0;
      let stop = false;
      const loop = async (): Promise<void> => {
        while (!stop) {
          try {
            made.push(await makeSecret(c.url));
            if (Date.now() > killedAt) answeredAfterKill++;
          } catch {
            failed++; // a request in flight on the killed worker's connection
          }
        }
      };
      const loops = Array.from({ length: 4 }, loop);
      await sleep(300);
      process.kill(victim!, 'SIGKILL');
      killedAt = Date.now();
      await until(() => {
        const now = childrenOf(c.child.pid!);
        return now.length === 2 && !now.includes(victim!);
      });
      const replacement = childrenOf(c.child.pid!).find((p) => p !== survivor)!;
      await until(() => new RegExp(`"pid":${String(replacement)},[^\\n]*"msg":"Server listening at`).test(c.output()));
      await sleep(300);
      stop = true;
      await Promise.all(loops);
      expect(childrenOf(c.child.pid!)).toContain(survivor);
      expect(answeredAfterKill).toBeGreaterThan(0);
      expect(failed).toBeLessThan(20);
      expect(c.output()).toMatch(/a worker process exited; another replaces it/);
      // Counts survive their worker: the sum never falls.
      expect(await counter(c.adminUrl, 'hush_secrets_created_total')).toBeGreaterThanOrEqual(created0);
      const reads = await Promise.all([...before, ...made].map((m) => consume(c.url, m)));
      expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    });

    it('SIGTERM stops the workers and the primary, which exits 0', async () => {
      const c = cluster();
      const workers = childrenOf(c.child.pid!);
      c.child.kill('SIGTERM');
      expect(await c.exited).toBe(0);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
      expect(c.output()).toMatch(/shutting down: each worker finishes its requests in flight/);
    });
  });
}

describe('the HUSH_WORKERS setting', () => {
  it('takes 1 to 64 or auto, and says what it takes otherwise', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ HUSH_WORKERS: '8' }).workers).toBe(8);
    expect(loadConfig({}, { workers: '64' }).workers).toBe(64);
    expect(loadConfig({ HUSH_WORKERS: 'auto' }).workers).toBe(Math.min(64, availableParallelism()));
    for (const bad of ['0', '65', 'two', '-1', '1.5']) {
      expect(() => loadConfig({ HUSH_WORKERS: bad })).toThrow(`HUSH_WORKERS: expected a number of processes from 1 to 64, or auto, got "${bad}"`);
    }
  });

  it('refuses an in-memory SQLite store, which no two processes can share', () => {
    expect(() => loadConfig({ HUSH_WORKERS: '2', HUSH_STORE: 'sqlite::memory:' })).toThrow(/HUSH_WORKERS above 1 needs a store every process shares/);
    expect(loadConfig({ HUSH_STORE: 'sqlite::memory:' }).workers).toBe(1);
  });
});

clusterCases(
  'SQLite',
  () => {
    const dir = tempDir();
    return Promise.resolve({ store: `sqlite:${join(dir, 'hush.db')}`, cleanup: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      } });
  },
  false,
);

clusterCases(
  'PostgreSQL',
  async () => {
    const db = await freshDatabase(pgUrl!);
    return { store: db.url, cleanup: db.drop };
  },
  pgUrl === null,
);

clusterCases(
  'Redis',
  () => {
    const prefix = `hush-test-${runTag()}-`;
    return Promise.resolve({ store: `${redisUrl!}?prefix=${prefix}`, cleanup: () => deleteRedisPrefix(redisUrl!, prefix) });
  },
  redisUrl === null,
);
