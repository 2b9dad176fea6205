// Slow and many clients: slowloris-style connections and 5 000 idle connections do not stop
// normal requests. (Timeouts that eventually close them: TIMEOUTS in src/server/app.ts,
// documented in docs/operations.md.)
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/server.js';
import { startProcess } from './helpers/process.js';
import { makeSecret } from './helpers/api.js';
import { http } from './helpers/http.js';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

describe('slow and many clients', () => {
  it('5 000 idle connections and 100 slowloris connections do not stop normal requests', async () => {
    const dir = tempDir();
    const server = await startProcess({ HUSH_STORE: `sqlite:${join(dir, 'hush.db')}` });
    const sockets: Socket[] = [];
    const timers: NodeJS.Timeout[] = [];
    try {
      const port = Number(new URL(server.url).port);
      for (let batch = 0; batch < 10; batch++) {
        sockets.push(...(await Promise.all(Array.from({ length: 500 }, () => open(port)))));
      }
      for (let i = 0; i < 100; i++) {
        const s = await open(port);
        sockets.push(s);
        s.write('POST /api/v1/secrets HTTP/1.1\r\nHost: x\r\n');
        let n = 0;
        timers.push(setInterval(() => s.writable && s.write(`X-Slow-${String(n++)}: a\r\n`), 500));
      }
      expect(sockets.length).toBe(5_100);
      for (let i = 0; i < 20; i++) {
        const m = await makeSecret(server.url);
        const r = await http(`${server.url}/api/v1/secrets/${m.id}/consume`, { body: { auth: m.auth } });
        expect(r.status).toBe(200);
      }
      expect((await http(`${server.url}/`)).status).toBe(200);
    } finally {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
