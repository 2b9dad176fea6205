// Crash safety: creates and consumes under load, SIGKILL at a random moment, restart. Every create
// that was acknowledged still reads; no secret whose read was acknowledged is ever read again.
// On SQLite, and on PostgreSQL and Redis (mandatory with CI=true, skipped with a reason elsewhere).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuth, sealSecret } from '../src/protocol/index.js';
import { tempDir } from './helpers/server.js';
import { startProcess } from './helpers/process.js';
import { http } from './helpers/http.js';
import { makeSecret, type Made } from './helpers/api.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, dropSchemas, requireService, runTag } from './helpers/services.js';

const pgUrl = requireService(await detectPostgres(), 'kill -9 under load on PostgreSQL');
const redisUrl = requireService(await detectRedis(), 'kill -9 under load on Redis');

/** Two rounds of load, SIGKILL, restart and check, against one store. */
async function crashRounds(store: string): Promise<void> {
  for (let round = 0; round < 2; round++) {
    const server = await startProcess({ HUSH_STORE: store });
    const pre: Made[] = [];
    for (let i = 0; i < 120; i++) pre.push(await makeSecret(server.url));
    const acked: { id: string; auth: string; ciphertext: string }[] = [];
    const read: Made[] = [];
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 2 === 0) {
            const sealed = await sealSecret({ message: `crash-${String(round)}-${String(w)}-${String(i)}` });
            const r = await http(`${server.url}/api/v1/secrets`, { body: sealed.body });
            if (r.status === 201) acked.push({ id: (r.json as { id: string }).id, auth: await readAuth(sealed.key), ciphertext: sealed.body.ciphertext });
          } else {
            const m = pre.pop();
            if (!m) continue;
            const r = await http(`${server.url}/api/v1/secrets/${m.id}/consume`, { body: { auth: m.auth } });
            if (r.status === 200) read.push(m);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    // Kill once the load is under way (a fixed sleep could end before a loaded machine acknowledged
    // anything), at a random moment after that.
    for (let waited = 0; acked.length + read.length <= 10 && waited < 30_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * 500));
    server.child.kill('SIGKILL');
    await server.exited;
    stop = true;
    await Promise.all(workers);
    expect(acked.length + read.length).toBeGreaterThan(10);

    const after = await startProcess({ HUSH_STORE: store });
    try {
      for (const a of acked) {
        const r = await http(`${after.url}/api/v1/secrets/${a.id}/consume`, { body: { auth: a.auth } });
        expect(r.status, `acknowledged create ${a.id}`).toBe(200);
        expect((r.json as { ciphertext: string }).ciphertext).toBe(a.ciphertext);
      }
      for (const m of read) {
        expect((await http(`${after.url}/api/v1/secrets/${m.id}/consume`, { body: { auth: m.auth } })).status, `read twice: ${m.id}`).toBe(404);
      }
    } finally {
      after.child.kill('SIGTERM');
      await after.exited;
    }
  }
}

describe('kill -9 under load', () => {
  it('SQLite: loses no acknowledged secret and never lets one be read twice', async () => {
    const dir = tempDir();
    try {
      await crashRounds(`sqlite:${join(dir, 'hush.db')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(pgUrl === null)('PostgreSQL: loses no acknowledged secret and never lets one be read twice', async () => {
    const schema = `crash_${runTag()}`;
    try {
      await crashRounds(`${pgUrl!}${pgUrl!.includes('?') ? '&' : '?'}schema=${schema}`);
    } finally {
      await dropSchemas(pgUrl!, [schema]);
    }
  });

  it.skipIf(redisUrl === null)('Redis: loses no acknowledged secret and never lets one be read twice', async () => {
    const prefix = `crash-${runTag()}:`;
    try {
      await crashRounds(`${redisUrl!}?prefix=${prefix}`);
    } finally {
      await deleteRedisPrefix(redisUrl!, prefix);
    }
  });
});
