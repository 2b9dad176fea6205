// The `hush` command end to end, sending and opening: the real bin/hush.js (built into dist/)
// against a real server with a real SQLite file. Secrets go in through a pipe and must come out
// byte for byte; exit codes and messages are checked. Also status, revoke, passphrases and
// stateless links.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealLink } from '../src/client/flows.js';
import { MAX_STATELESS_LINK } from '../src/protocol/stateless.js';
import { sealSecret } from '../src/protocol/secret.js';
import { formatSecretLink } from '../src/protocol/links.js';
import { NOT_FOUND_MESSAGE } from '../src/server/errors.js';
import { hush, spawnHush } from './helpers/cli.js';
import { startServer } from './helpers/server.js';
import { cliSession, deadPort, env, expectFailure, LINK, s, send, tempDir } from './helpers/cli-session.js';

cliSession();

describe('hush send and open', () => {
  const messages: [string, string][] = [
    ['a line as echo sends it, trailing newline included', 'db password\n'],
    ['multi-line unicode text without a final newline', 'line 1\nzwei — ünïcødé 🔐 密码\n\n\tindented\r\nend'],
    ['leading and trailing blanks, a BOM and a NUL', '\uFEFF  spaced \u0000 out  \n\n'],
  ];
  for (const [name, message] of messages) {
    it(`gives back exactly the bytes sent: ${name}`, async () => {
      const { link } = await send(message, ['--ttl', '1h']);
      const r = await hush(['open'], { input: link, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdoutBytes.equals(Buffer.from(message, 'utf8'))).toBe(true);
    });
  }

  it('a stored secret whose sealed expiry passed is refused with its date (exit 1), though the server still had it', async () => {
    const expired = Date.UTC(2026, 0, 2, 3, 4) / 1000;
    const sealed = await sealSecret({ message: 'stale content', expiresAt: expired });
    const res = await fetch(`${s.url}/api/v1/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...sealed.body, ttl: 3600 }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const r = await hush(['open', formatSecretLink(s.url, id, sealed.key)], { env });
    expectFailure(r, 1, 'hush: This secret expired on 2026-01-02 03:04:00 UTC.\n');
    expect(r.stderr).not.toContain('stale content');
  });

  it('a second open exits 1 with the not-available message', async () => {
    const { link } = await send('only once');
    expect((await hush(['open', link], { env })).stdout).toBe('only once');
    const again = await hush(['open', link], { env });
    expectFailure(again, 1, NOT_FOUND_MESSAGE);
  });

  it('reads the link from stdin when none is given', async () => {
    const { link } = await send('via stdin');
    const r = await hush(['open'], { input: `${link}\n`, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('via stdin');
  });

  it('--json: send prints the link, manage link, id, expiry and views; open prints message, expiry and views left', async () => {
    const before = Date.now();
    const r = await hush(['send', '--json', '--ttl', '30m'], { input: 'json secret', env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const sent = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['expiresAt', 'id', 'link', 'manageLink', 'views']);
    expect(sent.link).toMatch(LINK);
    expect(sent.link).toContain(`/s/${String(sent.id)}#`);
    expect(sent.manageLink).toContain(`/m/${String(sent.id)}#`);
    expect(sent.views).toBe(1);
    const exp = Date.parse(sent.expiresAt as string);
    expect(exp).toBeGreaterThanOrEqual(before + 1_800_000 - 2_000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 1_800_000 + 2_000);
    const o = await hush(['open', '--json', sent.link as string], { env });
    expect(o.code, o.stderr).toBe(0);
    const opened = JSON.parse(o.stdout) as Record<string, unknown>;
    expect(opened).toMatchObject({ message: 'json secret', viewsLeft: 0 });
    expect(Math.abs(Date.parse(opened.expiresAt as string) - exp)).toBeLessThan(5_000);
  });

  it('--views 2 opens twice, then exits 1', async () => {
    const { link, manageLink } = await send('twice', ['--views', '2']);
    const first = await hush(['open', '--json', link], { env });
    expect(JSON.parse(first.stdout)).toMatchObject({ message: 'twice', viewsLeft: 1 });
    expect((await hush(['status', manageLink], { env })).stdout).toMatch(/state: +pending[^\n]*\nviews left: 1\n/);
    const second = await hush(['open', '--json', link], { env });
    expect(JSON.parse(second.stdout)).toMatchObject({ message: 'twice', viewsLeft: 0 });
    expectFailure(await hush(['open', link], { env }), 1, NOT_FOUND_MESSAGE);
  });

  it('reads the secret from --message-file, or from an argument with a warning about shell history', async () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'from a file\n');
    const viaFile = await hush(['send', '--message-file', file], { env });
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect((await hush(['open', viaFile.stdout.trim()], { env })).stdout).toBe('from a file\n');
    const viaArg = await hush(['send', 'from an argument'], { env });
    expect(viaArg.code, viaArg.stderr).toBe(0);
    expect(viaArg.stderr).toMatch(/^hush: warning: .*shell history/m);
    expect(viaArg.stderr).not.toContain('from an argument');
    expect((await hush(['open', viaArg.stdout.trim()], { env })).stdout).toBe('from an argument');
  });

  it('refuses a secret larger than the server accepts, saying the limit, before uploading', async () => {
    const small = await startServer({ maxSize: 1024 });
    try {
      const r = await hush(['send'], { input: 'x'.repeat(2_000), env: { HUSH_SERVER: small.url } });
      expectFailure(r, 2, /too large for this server: 2\.\d KiB encrypted \(\d+ bytes\), its limit is 1\.0 KiB \(1024 bytes\) for the message and all files together/);
      expect(await small.store.stats()).toMatchObject({ liveSecrets: 0 });
    } finally {
      await small.close();
    }
  });

  it('works against a server with the proof-of-work human check', async () => {
    const pow = await startServer({ challenge: 'pow' });
    try {
      const { link } = await send('past the pow', [], { HUSH_SERVER: pow.url });
      expect((await hush(['open', link])).stdout).toBe('past the pow');
    } finally {
      await pow.close();
    }
  });

  it('a Turnstile server is refused clearly (exit 3): the check only works in a browser', async () => {
    // Turnstile needs HUSH_PUBLIC_URL since 2cd9970 (tokens are checked against its host name).
    const ts = await startServer({ challenge: 'turnstile', turnstileSiteKey: 'site', turnstileSecret: 'secret', publicUrl: 'https://hush.example.com' });
    try {
      expectFailure(await hush(['send'], { input: 'no way', env: { HUSH_SERVER: ts.url } }), 3, /Turnstile.*API token/);
    } finally {
      await ts.close();
    }
  });
});

describe('hush status and revoke', () => {
  it('status goes from pending to consumed with the time it was read; --json prints the API object', async () => {
    const { link, manageLink } = await send('watch me', ['--ttl', '2h']);
    const before = await hush(['status', manageLink], { env });
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^state: +pending.*\nviews left: 1\nexpires: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\nhistory:\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}created with the hush CLI\n$/);
    await hush(['open', link], { env });
    const after = await hush(['status', manageLink], { env });
    expect(after.stdout).toMatch(/^state: +consumed \(read at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\nviews left: 0\n/);
    expect(after.stdout).toMatch(/\n {2}.* UTC {2}opened with the hush CLI\n {2}.* UTC {2}read with the hush CLI\n$/);
    const json = await hush(['status', '--json', manageLink], { env });
    const st = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(st).toMatchObject({ state: 'consumed', viewsLeft: 0 });
    expect(Date.parse(st.consumedAt as string)).toBeLessThanOrEqual(Date.now());
  });

  it('status --wait blocks while the secret is pending and returns when it is read; at once when settled', async () => {
    const { link, manageLink } = await send('wait for me', ['--views', '2']);
    const child = spawnHush(['status', '--wait', '--every', '1s', manageLink], { env });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    // Still waiting after two polls: nothing has changed.
    await new Promise((r) => setTimeout(r, 2500));
    expect(child.exitCode).toBeNull();
    expect(stdout).toBe('');
    expect((await hush(['open', link], { env })).code).toBe(0);
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^state: +pending.*\nviews left: 1\n/);
    // A second wait returns on the last read, with the time.
    const waitAgain = hush(['status', '--wait', '--every', '1s', '--json', manageLink], { env });
    await hush(['open', link], { env });
    const done = await waitAgain;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ state: 'consumed', viewsLeft: 0 });
    // Settled: nothing can change any more, so --wait returns at once.
    const settled = await hush(['status', '--wait', manageLink], { env });
    expect(settled.code).toBe(0);
    expect(settled.stdout).toMatch(/^state: +consumed/);
    expectFailure(await hush(['status', '--wait', '--every', '0s', manageLink], { env }), 2, '--every');
  });

  it('revoke erases the secret: open then exits 1, status says revoked', async () => {
    const { link, manageLink } = await send('revoke me');
    const r = await hush(['revoke', manageLink], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/revoked/);
    expectFailure(await hush(['open', link], { env }), 1, NOT_FOUND_MESSAGE);
    expect((await hush(['status', manageLink], { env })).stdout).toMatch(/^state: +revoked\n/);
  });

  it('a wrong manage token is not found (exit 1)', async () => {
    const { manageLink } = await send('mine');
    const wrong = manageLink.replace(/#.*/, `#${'A'.repeat(43)}`);
    expectFailure(await hush(['status', wrong], { env }), 1, NOT_FOUND_MESSAGE);
    expectFailure(await hush(['revoke', wrong], { env }), 1, NOT_FOUND_MESSAGE);
  });
});

describe('passphrases', () => {
  it('HUSH_PASSPHRASE: none given exits 1 without using a view, a wrong one says the attempts left, the right one opens', async () => {
    const { link } = await send('behind a passphrase', [], { HUSH_PASSPHRASE: 'correct horse' });
    expectFailure(await hush(['open', link], { env }), 1, /protected by a passphrase: set HUSH_PASSPHRASE/);
    expectFailure(await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: 'wrong horse' } }), 1, 'Wrong passphrase: 4 attempts left');
    const right = await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: 'correct horse' } });
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toBe('behind a passphrase');
  });

  it('--passphrase-file ignores one trailing newline and wins over HUSH_PASSPHRASE', async () => {
    const dir = tempDir();
    const file = join(dir, 'pass');
    writeFileSync(file, 'battery staple\n');
    const { link } = await send('file-protected', ['--passphrase-file', file]);
    const r = await hush(['open', '--passphrase-file', file, link], { env: { ...env, HUSH_PASSPHRASE: 'something else' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('file-protected');
  });
});

describe('stateless links: seal and unseal', () => {
  // Nothing listens there: sealing and opening make no request.
  let offline: string;
  beforeAll(async () => {
    offline = `http://127.0.0.1:${String(await deadPort())}`;
  });

  it('seal then unseal and open round-trip offline, exactly', async () => {
    const message = 'stateless ✓\nsecond line\n';
    const r = await hush(['seal', '--ttl', '1h'], { input: message, env: { HUSH_SERVER: offline } });
    expect(r.code, r.stderr).toBe(0);
    const link = r.stdout.trim();
    expect(link.startsWith(`${offline}/l#1.`)).toBe(true);
    for (const command of ['unseal', 'open']) {
      const o = await hush([command, link]);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdoutBytes.equals(Buffer.from(message))).toBe(true);
    }
    const j = await hush(['unseal', '--json', link]);
    expect(JSON.parse(j.stdout)).toMatchObject({ message, viewsLeft: null });
  });

  it('a 1p link needs its passphrase: none exits 1, a wrong one exits 1, the right one opens', async () => {
    const r = await hush(['seal', '--server', offline, '--expires-at', new Date(Date.now() + 3_600_000).toISOString()], {
      input: 'keyed by a passphrase',
      env: { HUSH_PASSPHRASE: 'tr0ub4dor' },
    });
    expect(r.code, r.stderr).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/\/l#1p\./);
    expectFailure(await hush(['unseal', link]), 1, /protected by a passphrase/);
    expectFailure(await hush(['unseal', link], { env: { HUSH_PASSPHRASE: 'tr0ub4dor!' } }), 1, /wrong passphrase, or the link is damaged/);
    const ok = await hush(['unseal', link], { env: { HUSH_PASSPHRASE: 'tr0ub4dor' } });
    expect(ok.stdout).toBe('keyed by a passphrase');
  });

  it('an expired stateless link says when it expired and exits 1', async () => {
    const link = await sealLink({ origin: offline, message: 'too late', ttl: 60, now: () => Date.now() - 3_600_000 });
    const r = await hush(['open', link]);
    expectFailure(r, 1, /This secret expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    expect(r.stderr).not.toContain('too late');
  });

  it('refuses an expiry in the past, and --ttl with --expires-at (exit 2)', async () => {
    expectFailure(await hush(['seal', '--expires-at', '2020-01-01T00:00:00Z'], { input: 'x', env: { HUSH_SERVER: offline } }), 2, /in the past/);
    expectFailure(await hush(['seal', '--ttl', '1h', '--expires-at', '2099-01-01T00:00:00Z'], { input: 'x' }), 2, /not both/);
    expectFailure(await hush(['seal', '--expires-at', 'tomorrow'], { input: 'x' }), 2, /ISO-8601/);
  });

  it('refuses a message that would make the link too long, naming the limit (exit 2)', async () => {
    const r = await hush(['seal'], { input: 'y'.repeat(3_000), env: { HUSH_SERVER: offline } });
    expectFailure(r, 2, String(MAX_STATELESS_LINK));
    expect(r.stderr).not.toContain('yyyy');
  });

  it('unseal refuses a stored link (exit 2) without touching it', async () => {
    const { link } = await send('still here');
    expectFailure(await hush(['unseal', link], { env }), 2, /not a stateless link/);
    expect((await hush(['open', link], { env })).stdout).toBe('still here');
  });
});
