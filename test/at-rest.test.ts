// What the SQLite store leaves on disk: the files and the directory made for them are private
// whatever the umask.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';
import { T0, makeSecret, sha } from './helpers/store.js';

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

const Q = { maxSecrets: 1_000_000, maxBytes: 1024 ** 3 };

describe('SQLite: file modes whatever the umask', () => {
  const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

  for (const umask of [0o000, 0o277]) {
    it(`with umask ${umask.toString(8).padStart(3, '0')}: the directories it makes are 0700, the database, its -wal and -shm 0600`, async () => {
      const base = tempDir('hush-modes-');
      const path = join(base, 'made', 'here', 'hush.db');
      const old = process.umask(umask);
      let store: SqliteStore | undefined;
      try {
        store = new SqliteStore(path);
        // A write through the writer thread (its own connection), an erase, and a purge cycle's
        // truncation: the -wal is written, truncated and written again.
        const s = makeSecret();
        await store.create(s, Q);
        expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(true);
        await store.purge(T0, 1_000);
        await store.create(makeSecret(), Q);
        expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
        expect({
          made: mode(join(base, 'made')),
          here: mode(join(base, 'made', 'here')),
          db: mode(path),
          wal: mode(`${path}-wal`),
          shm: mode(`${path}-shm`),
        }).toEqual({ made: '700', here: '700', db: '600', wal: '600', shm: '600' });
        // A directory that already existed is the operator's: left as it was (mkdtemp's 0700).
        expect(mode(base)).toBe('700');
      } finally {
        process.umask(old);
        await store?.close();
        rmSync(base, { recursive: true, force: true });
      }
    });
  }

  it('an existing database, -wal and -shm readable by others are made 0600 when opened', async () => {
    const dir = tempDir('hush-modes-');
    const path = join(dir, 'hush.db');
    try {
      const first = new SqliteStore(path);
      await first.create(makeSecret(), Q);
      // Copies of the three files as a crash would leave them, world-readable (an older Hush, a
      // restore from backup, a umask of 000).
      const copy = join(dir, 'copy.db');
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(`${path}${suffix}`)) writeFileSync(`${copy}${suffix}`, readFileSync(`${path}${suffix}`));
      }
      await first.close();
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${copy}${suffix}`)) chmodSync(`${copy}${suffix}`, 0o644);
      expect(existsSync(`${copy}-wal`)).toBe(true);
      const again = new SqliteStore(copy);
      try {
        expect(mode(copy)).toBe('600');
        expect(mode(`${copy}-wal`)).toBe('600');
        expect(mode(`${copy}-shm`)).toBe('600');
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
