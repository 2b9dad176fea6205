// The operators' audit trail end to end (docs/protocol.md §11), on a real server process over each
// of the three stores: the CLI and a link preview leave events, `hush audit export` reads them from
// the admin listener, `hush audit verify` finds them intact — and catches a removed line, an edited
// one (also one whose hash was recomputed), moved lines, and an export that does not continue the
// head it claims to. The trail names no secret: no id, no token, no key. On SQLite a kill -9 right
// after the events loses none of them (they are queued with the change, sealed after restart).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, type AuditEntry } from '../src/protocol/audit.js';
import { hush } from './helpers/cli.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { freePort, tempDir } from './helpers/server.js';
import { forEveryStore } from './helpers/every-store.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');


interface Sent {
  link: string;
  manage: string;
  id: string;
  token: string;
  key: string;
}

async function send(server: ServerProcess, message: string): Promise<Sent> {
  const r = await hush(['send', '--server', server.url], { input: message });
  expect(r.code, r.stderr).toBe(0);
  const link = r.stdout.trim();
  const manage = /^manage: (\S+)$/m.exec(r.stderr)![1]!;
  const m = /\/m\/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{43})$/.exec(manage)!;
  return { link, manage, id: m[1]!, token: m[2]!, key: link.split('#')[1]! };
}

interface Started {
  server: ServerProcess;
  admin: string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const server = await startProcess({ ...env, HUSH_ADMIN_PORT: String(port) });
  return { server, admin: `http://127.0.0.1:${String(port)}` };
}

async function stop(s: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  s.server.child.kill(signal);
  await s.server.exited;
}

const parse = (text: string): AuditEntry[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEntry);
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const verify = (text: string, args: string[] = []) => hush(['audit', 'verify', ...args, '-'], { input: text });

function everyStore(name: string, env: () => Record<string, string>): void {
  describe(`the audit trail on ${name}`, () => {
    let s: Started;
    beforeAll(async () => {
      s = await start(env());
    });
    afterAll(() => stop(s));

    it('holds every event with its class and nothing that names a secret; export and verify agree', async () => {
      const before = await hush(['audit', 'export', s.admin]);
      expect(before.code, before.stderr).toBe(0);
      const start = parse(before.stdout).length;
      const read = await send(s.server, 'audited read');
      expect((await fetch(`${s.server.url}/s/${read.id}`, { method: 'HEAD' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100)); // a page view is recorded after its answer
      expect((await hush(['open', read.link])).stdout).toBe('audited read');
      const revoked = await send(s.server, 'audited revoke');
      expect((await hush(['revoke', revoked.manage])).code).toBe(0);

      const exported = await hush(['audit', 'export', s.admin]);
      expect(exported.code, exported.stderr).toBe(0);
      const trail = parse(exported.stdout);
      expect(trail.slice(start).map((e) => `${e.event}:${String(e.client)}`)).toEqual([
        'created:cli',
        'opened:link-preview',
        'opened:cli',
        'read:cli',
        'created:cli',
        'revoked:cli',
      ]);
      expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => (trail[0]?.seq ?? 1) + i));
      for (const secret of [read, revoked]) {
        for (const value of [secret.id, secret.token, secret.key]) expect(exported.stdout).not.toContain(value);
      }
      const ok = await verify(exported.stdout);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`audit trail intact: ${String(trail.length)} entries`);
      expect(ok.stdout).toContain(`head: ${trail.at(-1)!.hash}`);
      // The raw admin answer is the same JSON Lines.
      const raw = await fetch(`${s.admin}/audit?since=0`);
      expect(raw.headers.get('content-type')).toMatch(/^application\/jsonl/);
      expect(await raw.text()).toBe(exported.stdout);
    });

    it('verify catches a removed line, an edited line (even with its hash recomputed) and moved lines', async () => {
      for (let i = 0; i < 3; i++) await send(s.server, `filler ${String(i)}`);
      const text = (await hush(['audit', 'export', s.admin])).stdout;
      const all = lines(text);
      expect(all.length).toBeGreaterThanOrEqual(5);
      const mid = Math.floor(all.length / 2);

      const removed = await verify([...all.slice(0, mid), ...all.slice(mid + 1)].join('\n') + '\n');
      expect(removed.code).toBe(1);
      expect(removed.stderr).toMatch(/audit trail NOT intact: line \d+: seq jumps from \d+ to \d+ — 1 entry was removed/);

      const entry = JSON.parse(all[mid]!) as AuditEntry;
      const edited = [...all];
      edited[mid] = all[mid]!.replace(`"at":${String(entry.at)}`, `"at":${String(entry.at + 1)}`);
      expect(edited[mid]).not.toBe(all[mid]);
      const e1 = await verify(edited.join('\n'));
      expect(e1.code).toBe(1);
      expect(e1.stderr).toMatch(new RegExp(`line ${String(mid + 1)} \\(seq ${String(entry.seq)}\\): its hash does not match its content`));

      // A forger who recomputes the changed line's hash breaks the next line's link instead.
      const forged = { ...entry, at: entry.at + 1 };
      const rehashed = { ...forged, hash: await auditHash(forged) };
      const e2Lines = [...all];
      e2Lines[mid] = JSON.stringify({ at: rehashed.at, client: rehashed.client, event: rehashed.event, hash: rehashed.hash, prev: rehashed.prev, seq: rehashed.seq });
      const e2 = await verify(e2Lines.join('\n'));
      expect(e2.code).toBe(1);
      expect(e2.stderr).toMatch(new RegExp(`line ${String(mid + 2)} .*prev is not the hash of the line before`));

      const swapped = [...all];
      [swapped[mid], swapped[mid + 1]] = [all[mid + 1]!, all[mid]!];
      const e3 = await verify(swapped.join('\n'));
      expect(e3.code).toBe(1);
      expect(e3.stderr).toMatch(/seq jumps|comes after/);

      const garbage = await verify(`${all.join('\n')}\nnot json\n`);
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toMatch(/line \d+: not JSON/);
    });

    it('exports continue one another: --since and --prev check the join, and a gap between them fails', async () => {
      const first = await hush(['audit', 'export', s.admin]);
      const firstVerdict = await verify(first.stdout);
      const head = /^head: ([0-9a-f]{64})$/m.exec(firstVerdict.stdout)![1]!;
      const lastSeq = parse(first.stdout).at(-1)!.seq;
      await send(s.server, 'after the first export');
      await send(s.server, 'and another');
      const next = await hush(['audit', 'export', '--since', String(lastSeq), s.admin]);
      expect(parse(next.stdout).map((e) => e.seq)).toEqual([lastSeq + 1, lastSeq + 2]);
      const joined = await verify(next.stdout, ['--prev', head]);
      expect(joined.code, joined.stderr).toBe(0);
      expect(joined.stdout).toContain('continuing the head given with --prev');
      // Dropping the first entry of the second export: it no longer continues the head.
      const gap = await verify(lines(next.stdout).slice(1).join('\n'), ['--prev', head]);
      expect(gap.code).toBe(1);
      expect(gap.stderr).toMatch(/does not continue the given head/);
      // The admin listener refuses what is not a seq.
      for (const q of ['since=-1', 'since=abc', 'limit=0', 'limit=100001']) {
        const r = await fetch(`${s.admin}/audit?${q}`);
        expect(r.status, q).toBe(400);
        expect(((await r.json()) as { error: string }).error).toBe('invalid_input');
      }
      expect(lines(await (await fetch(`${s.admin}/audit?since=${String(lastSeq)}&limit=1`)).text())).toHaveLength(1);
    });
  });
}

await forEveryStore('the audit trail', everyStore);

describe('the audit trail across a crash', () => {
  it('kill -9 right after the events: none is lost, the restarted server seals them onto the same chain', async () => {
    const store = `sqlite:${join(tempDir(), 'crash.db')}`;
    const a = await start({ HUSH_STORE: store });
    const first = await send(a.server, 'before the crash');
    await hush(['audit', 'export', a.admin]); // seals what is queued so far
    const sent = [await send(a.server, 'one'), await send(a.server, 'two')];
    await hush(['open', sent[0]!.link]);
    await stop(a, 'SIGKILL'); // within the sealer's second: these events are likely still queued
    const b = await start({ HUSH_STORE: store });
    try {
      const text = (await hush(['audit', 'export', b.admin])).stdout;
      expect(parse(text).map((e) => e.event)).toEqual(['created', 'created', 'created', 'opened', 'read']);
      expect((await verify(text)).code).toBe(0);
      expect(text).not.toContain(first.id);
    } finally {
      await stop(b);
    }
  });
});
