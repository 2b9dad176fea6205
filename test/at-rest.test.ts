// What the SQLite store leaves on disk. Once ciphertext is erased — a secret's last read, a burn
// by wrong passphrases, a revoke; a request's pickup or cancel — no byte of it stays in the
// database file or its WAL for more than a few seconds, without waiting for the purge cycle
// (every 60 s). And the files and the directory made for them are private whatever the umask.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore, type SqliteOptions } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { Q, T0, makeRequest, makeSecret, sha } from './helpers/store.js';

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** Three 32-byte windows of `bytes`: any one is a fingerprint nothing else could match by chance. */
const windows = (bytes: Uint8Array): Buffer[] => {
  const b = Buffer.from(bytes);
  return [b.subarray(0, 32), b.subarray(b.length >> 1, (b.length >> 1) + 32), b.subarray(b.length - 32)];
};

/** The windows of `bytes` found in the database file or its WAL (the -shm holds page numbers, no content). */
function found(path: string, bytes: Uint8Array): Buffer[] {
  const files = [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  return windows(bytes).filter((w) => files.some((f) => f.includes(w)));
}

/** Polls (every 50 ms, up to `ms`) until `ok()` holds; returns whether it did. */
async function within(ms: number, ok: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (ok()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Scenario {
  /** The test's name, spelled out so that docs can cite it. */
  name: string;
  /** Stores what will be erased; returns its bytes and the erasing step. */
  setup: (store: Store) => Promise<{ bytes: Uint8Array[]; erase: () => Promise<unknown> }>;
}

// A small ciphertext (in its row's page) and a large one (spread over overflow pages) each time.
const SIZES = [3_000, 40_000];

const scenarios: Scenario[] = [
  {
    name: 'after the last read of a secret, no byte sequence of it remains in the .db or -wal file within 5 s',
    setup: async (store) => {
      const s = SIZES.map((n) => makeSecret({ ciphertext: randomBytes(n), views: 2 }));
      for (const x of s) await store.create(x, Q);
      // The first read keeps the ciphertext (a view is left); the second erases it.
      for (const x of s) expect((await store.consume(x.id, sha(x.auth), null, T0)).ok).toBe(true);
      return {
        bytes: s.map((x) => x.ciphertext),
        erase: async () => {
          for (const x of s) expect(await store.consume(x.id, sha(x.auth), null, T0)).toMatchObject({ ok: true, viewsLeft: 0 });
        },
      };
    },
  },
  {
    name: 'after a revoke, no byte sequence of it remains in the .db or -wal file within 5 s',
    setup: async (store) => {
      const s = SIZES.map((n) => makeSecret({ ciphertext: randomBytes(n) }));
      for (const x of s) await store.create(x, Q);
      return {
        bytes: s.map((x) => x.ciphertext),
        erase: async () => {
          for (const x of s) expect(await store.revoke(x.id, sha(x.manage), T0)).toBe(true);
        },
      };
    },
  },
  {
    name: 'after a burn by a wrong passphrase, no byte sequence of it remains in the .db or -wal file within 5 s',
    setup: async (store) => {
      const pp = { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(randomBytes(32)), attempts: 1 };
      const s = SIZES.map((n) => makeSecret({ ciphertext: randomBytes(n), passphrase: pp }));
      for (const x of s) await store.create(x, Q);
      return {
        bytes: s.map((x) => x.ciphertext),
        erase: async () => {
          for (const x of s) expect(await store.consume(x.id, sha(x.auth), sha(randomBytes(32)), T0)).toMatchObject({ reason: 'wrong_passphrase', attemptsLeft: 0 });
        },
      };
    },
  },
  ...(
    [
      ['pickup', "after a request's pickup, no byte sequence of its response remains in the .db or -wal file within 5 s"],
      ['cancel', "after a request's cancel, no byte sequence of its response remains in the .db or -wal file within 5 s"],
    ] as const
  ).map(
    ([how, name]): Scenario => ({
      name,
      setup: async (store) => {
        const requests = SIZES.map((n) => ({ ...makeRequest({ note: 'at rest' }), response: randomBytes(n) }));
        for (const r of requests) {
          await store.createRequest(r, Q);
          expect(await store.answerRequest(r.id, r.response, T0, Q)).toBe('answered');
        }
        return {
          bytes: requests.map((r) => r.response),
          erase: async () => {
            for (const r of requests) {
              if (how === 'pickup') expect(await store.pickupRequest(r.id, sha(r.token), T0)).not.toBeNull();
              else expect(await store.cancelRequest(r.id, sha(r.token), T0)).toBe(true);
            }
          },
        };
      },
    }),
  ),
];

// The checkpointer thread truncates after its PASSIVE round; without one (checkpointEvery 0) the
// writer thread does it itself.
const CONFIGS: { name: string; options: SqliteOptions }[] = [
  { name: 'checkpointer thread', options: {} },
  { name: 'no checkpointer thread', options: { checkpointEvery: 0 } },
];

for (const config of CONFIGS) {
  describe(`SQLite (${config.name}): erased ciphertext leaves the disk within seconds, without a purge`, () => {
    for (const sc of scenarios) {
      it(sc.name, async () => {
        const dir = tempDir('hush-at-rest-');
        const path = join(dir, 'hush.db');
        const store = new SqliteStore(path, config.options);
        try {
          const kept = makeSecret({ ciphertext: randomBytes(5_000) });
          await store.create(kept, Q);
          const { bytes, erase } = await sc.setup(store);
          // The search finds what is stored (so not finding it later means something).
          for (const b of bytes) expect(found(path, b)).toHaveLength(3);
          await erase();
          const gone = await within(5_000, () => bytes.every((b) => found(path, b).length === 0));
          expect(
            bytes.map((b) => found(path, b).length),
            'windows of each erased ciphertext still in the .db or -wal',
          ).toEqual(bytes.map(() => 0));
          expect(gone).toBe(true);
          // What was not erased is still there, and still reads.
          expect(found(path, kept.ciphertext)).toHaveLength(3);
          expect((await store.consume(kept.id, sha(kept.auth), null, T0)).ok).toBe(true);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}

describe('SQLite: file modes whatever the umask', () => {
  const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

  for (const [umask, name] of [
    [0o000, 'with umask 000: the directories it makes are 0700, the database, its -wal and -shm 0600'],
    [0o277, 'with umask 277: the directories it makes are 0700, the database, its -wal and -shm 0600'],
  ] as const) {
    it(name, async () => {
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
