// What the bench scripts share (bench/run.mjs, bench/timing.mjs): a Hush server (or the bare
// baseline) started as a child process and stopped again, and the PostgreSQL and Redis stores of
// this machine when they answer, each under a fresh name removed afterwards.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../dist/store/index.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const sha = (b) => createHash('sha256').update(b).digest();
export const log = (...a) => process.stderr.write(a.join(' ') + '\n');

/** Runs `node cmd…` in the checkout; resolves once it says where it listens. */
function start(cmd, env = {}) {
  const child = spawn(process.execPath, cmd, { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        // From here on the log is read and dropped (not kept in a string that grows all run).
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}

export const stop = async (p) => {
  p.child.removeAllListeners('exit');
  p.child.kill('SIGTERM');
  await new Promise((r) => p.child.once('exit', r));
};

// Hush is started with the Node.js flags of `npm start` (package.json), so both run the same.
const startFlags = /node ((?:--\S+ )*)dist\/server\/main\.js/.exec(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start)[1].split(' ').filter(Boolean);

/**
 * Hush on a free port, rate limits and the human check off, no admin listener, quotas no run
 * reaches; `store` is a SQLite path or a HUSH_STORE value, `extra` more settings.
 */
export const hush = (store, extra = {}) =>
  start([...startFlags, 'dist/server/main.js'], {
    HUSH_PORT: '0',
    HUSH_ADMIN_PORT: 'off',
    HUSH_RATE_LIMIT: 'off',
    HUSH_CHALLENGE: 'off',
    HUSH_LOG_LEVEL: process.env.HUSH_LOG_LEVEL ?? 'info',
    HUSH_MAX_SECRETS: '100000000',
    HUSH_MAX_BYTES: '100GiB',
    HUSH_STORE: store.includes('://') || store.startsWith('sqlite:') ? store : `sqlite:${store}`,
    ...extra,
  });

export const bare = () => start(['bench/bare-server.mjs']);

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
