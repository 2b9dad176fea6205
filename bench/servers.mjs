// What the bench scripts share (bench/run.mjs, bench/timing.mjs, bench/instructions.mjs): a Hush
// server (or the bare baseline) started as a child process — under valgrind if asked — and
// stopped again; the PostgreSQL and Redis stores of this machine when they answer, each under a
// fresh name removed afterwards; secrets seeded straight into a store; the load generator; and
// the CPU time a server process has used.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SqliteStore } from '../dist/store/sqlite.js';
import { openStore } from '../dist/store/index.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const sha = (b) => createHash('sha256').update(b).digest();
export const log = (...a) => process.stderr.write(a.join(' ') + '\n');

/**
 * Runs `node cmd…` in the checkout, or `wrap… node cmd…` when a wrapper is given (valgrind, which
 * keeps the process id: its launcher execs the tool), told by `env` to listen on `port`; resolves
 * once that port takes a connection. Nothing is read from its log, so a Hush told to log only
 * warnings (HUSH_LOG_LEVEL=warn) is found as well; its output is kept only until then, for the
 * error should it exit first.
 */
function start(cmd, env, wrap, port) {
  const argv = [...wrap, process.execPath, ...cmd];
  const child = spawn(argv[0], argv.slice(1), { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const keep = (d) => (out += d);
  child.stdout.on('data', keep);
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (c) => {
      exited = true;
      reject(new Error(`exited ${c}: ${out}`));
    });
    const ask = () => {
      if (exited) return;
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        // From here on the log is read and dropped (not kept in a string that grows all run).
        child.stdout.off('data', keep);
        child.stdout.resume();
        child.removeAllListeners('exit');
        resolve({ child, url: `http://127.0.0.1:${port}` });
      });
      socket.once('error', () => setTimeout(ask, 100));
    };
    ask();
  });
}

/** A port free on 127.0.0.1 now (the server is told to listen on it). */
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export const stop = async (p) => {
  p.child.removeAllListeners('exit');
  p.child.kill('SIGTERM');
  await new Promise((r) => p.child.once('exit', r));
};

// Hush is started with the Node.js flags of `npm start` (package.json), so both run the same.
const startFlags = /node ((?:--\S+ )*)dist\/server\/main\.js/.exec(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start)[1].split(' ').filter(Boolean);

/**
 * Hush on a free port, rate limits and the human check off, no admin listener, quotas no run
 * reaches; `store` is a SQLite path or a HUSH_STORE value, `extra` more settings, `wrap` a command
 * to run node under.
 */
export const hush = async (store, extra = {}, { wrap } = {}) => {
  const port = await freePort();
  return start([...startFlags, 'dist/server/main.js'], {
    HUSH_PORT: String(port),
    HUSH_ADMIN_PORT: 'off',
    HUSH_RATE_LIMIT: 'off',
    HUSH_CHALLENGE: 'off',
    HUSH_LOG_LEVEL: process.env.HUSH_LOG_LEVEL ?? 'info',
    HUSH_MAX_SECRETS: '100000000',
    HUSH_MAX_BYTES: '100GiB',
    HUSH_STORE: store.includes('://') || store.startsWith('sqlite:') ? store : `sqlite:${store}`,
    ...extra,
  }, wrap ?? [], port);
};

export const bare = async ({ wrap } = {}) => {
  const port = await freePort();
  return start(['bench/bare-server.mjs'], { PORT: String(port) }, wrap ?? [], port);
};

/**
 * Seeds `n` live (or expired) secrets straight into a store — a SQLite path or a HUSH_STORE URL —
 * and returns the ids and auth tokens of the live ones.
 */
export async function seed(where, n, { expired = false } = {}) {
  const store = where.includes('://') ? await openStore(where) : new SqliteStore(where);
  const ciphertext = randomBytes(200);
  const now = Date.now();
  const out = [];
  const quota = { maxSecrets: 1e12, maxBytes: 1e15 };
  const one = async () => {
    const auth = randomBytes(32);
    const id = randomBytes(16).toString('base64url');
    await store.create({ id, ciphertext, verifier: sha(auth), manageHash: sha(randomBytes(32)), passphrase: null, views: 1, createdAt: now - (expired ? 7200_000 : 0), expiresAt: expired ? now - 1000 : now + 86400_000, notBefore: null }, quota);
    if (!expired) out.push({ id, auth: auth.toString('base64url') });
  };
  // 64 creates in flight: network stores pipeline them, SQLite commits them as one group.
  const batch = 64;
  for (let i = 0; i < n; i += batch) await Promise.all(Array.from({ length: Math.min(batch, n - i) }, one));
  await store.close();
  return out;
}

/**
 * Creates (`body`) or consumes (one of `secrets` each, in turn) at `url` with autocannon, for
 * `duration` seconds or `amount` requests over `connections` connections; `timeout` in seconds
 * (autocannon's default, 10, is too short for a server under valgrind). `ok` counts 2xx answers.
 */
export async function load(url, kind, { secrets, body, duration = 10, connections = 64, amount, timeout } = {}) {
  let i = 0;
  const opts = {
    url,
    connections,
    ...(amount ? { amount } : { duration }),
    ...(timeout ? { timeout } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  };
  if (kind === 'create') {
    // autocannon takes the path from the URL (a separate `path` option is ignored).
    opts.url = `${url}/api/v1/secrets`;
    opts.body = body;
  } else {
    opts.requests = [
      {
        setupRequest: (req) => {
          const s = secrets[i++ % secrets.length];
          return { ...req, path: `/api/v1/secrets/${s.id}/consume`, body: JSON.stringify({ auth: s.auth }) };
        },
      },
    ];
  }
  const r = await autocannon(opts);
  if (r.non2xx > r.requests.total / 100) log(`warning: ${kind} at ${url}: ${r.non2xx} of ${r.requests.total} answers were not 2xx`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
    ok: r['2xx'],
    codes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

// Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on the Linux machines here).
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * The user and system CPU time a process has used so far, every thread of it (the SQLite writer
 * and checkpointer threads included, and those already ended), in microseconds: utime and stime
 * of /proc/<pid>/stat (fields 14 and 15, counted after the command name, which may hold spaces).
 */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return { user: (Number(f[11]) / TICKS_PER_S) * 1e6, system: (Number(f[12]) / TICKS_PER_S) * 1e6 };
}

/**
 * PostgreSQL and Redis (HUSH_BENCH_POSTGRES, HUSH_BENCH_REDIS, else the local ones) when they
 * answer here. `url(part)` names a schema or key prefix of this run (`label`, a random tag, then
 * `part` if given); `cleanup()` drops every one of them.
 */
export async function networkStores(label) {
  const tag = `${label}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const found = [];
  const pgUrl = process.env.HUSH_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.HUSH_BENCH_REDIS ?? 'redis://127.0.0.1:6379/0';
  const named = (part) => (part === undefined ? tag : `${tag}_${part}`);
  try {
    const s = await openStore(`${pgUrl}?schema=${named()}`);
    await s.close();
    found.push({
      name: 'PostgreSQL',
      key: 'postgres',
      url: (part) => `${pgUrl}?schema=${named(part)}`,
      cleanup: async () => {
        const { default: pg } = await import('pg');
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        const r = await c.query(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [tag]);
        for (const { nspname } of r.rows) await c.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
        await c.end();
      },
    });
  } catch (e) {
    log(`PostgreSQL skipped: ${e.message}`);
  }
  try {
    const s = await openStore(`${redisUrl}?prefix=${named()}:`);
    await s.close();
    found.push({
      name: 'Redis',
      key: 'redis',
      url: (part) => `${redisUrl}?prefix=${named(part)}:`,
      cleanup: async () => {
        const { Redis } = await import('ioredis');
        const r = new Redis(redisUrl);
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${tag}*`, 'COUNT', 1000);
          if (keys.length > 0) await r.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        r.disconnect();
      },
    });
  } catch (e) {
    log(`Redis skipped: ${e.message}`);
  }
  return found;
}
