// The `hush` command end to end: the real bin/hush.js (built into dist/) against real servers
// with real SQLite files. Secrets go in through a pipe and must come out byte for byte; exit codes
// and messages are checked, and no error output may carry a secret, a key or a passphrase.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealLink, sendSecret } from '../src/client/flows.js';
import { MAX_STATELESS_LINK } from '../src/protocol/stateless.js';
import { sealSecret } from '../src/protocol/secret.js';
import { formatSecretLink } from '../src/protocol/links.js';
import { b64uEncode } from '../src/protocol/b64u.js';
import { sealContainer } from '../src/protocol/container.js';
import { deriveLinkKeys } from '../src/protocol/keys.js';
import { NOT_FOUND_MESSAGE } from '../src/server/errors.js';
import { hush, spawnHush, type CliResult } from './helpers/cli.js';
import { writeReceived } from '../src/cli/files.js';
import { parseCommand } from '../src/cli/args.js';
import { startServer, tempDir as makeTempDir, type TestServer } from './helpers/server.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}#([A-Za-z0-9_-]{43})$/;
const MANAGE = /^manage: (http:\/\/127\.0\.0\.1:\d+\/m\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43})$/m;

let s: TestServer;
let env: Record<string, string>;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = makeTempDir('hush-cli-');
  dirs.push(dir);
  return dir;
};
beforeAll(async () => {
  s = await startServer();
  env = { HUSH_SERVER: s.url };
});
afterAll(async () => {
  await s.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  link: string;
  manageLink: string;
  fragment: string;
}

/** `hush send` with the secret piped in; asserts success and the shape of the output. */
async function send(secret: string, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<Sent> {
  const r = await hush(['send', ...args], { input: secret, env: { ...env, ...extraEnv } });
  expect(r.stderr).not.toContain('hush: ');
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  const link = r.stdout.slice(0, -1);
  const m = LINK.exec(link);
  expect(m, r.stdout).not.toBeNull();
  const manage = MANAGE.exec(r.stderr);
  expect(manage, r.stderr).not.toBeNull();
  return { link, manageLink: manage![1]!, fragment: m![1]! };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The failure contract: exit code, one `hush: ` message, nothing on stdout. */
function expectFailure(r: CliResult, code: number, message: RegExp | string): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^hush: /);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
}

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

describe('files: hush send --file, hush open --out', () => {
  const binary = new Uint8Array(70_000).map((_, i) => (i * 7919 + (i >> 8)) & 0xff);
  const nonAscii = 'Grüße aus 日本.env';

  /** A text and two files (one binary, one with a non-ASCII name) sent from a pipe and --file. */
  async function sendWithFiles(text = 'the deploy keys\n'): Promise<Sent & { dir: string }> {
    const dir = tempDir();
    writeFileSync(join(dir, 'id_ed25519'), binary);
    writeFileSync(join(dir, nonAscii), 'API_KEY=s3cr3t\n');
    return { ...(await send(text, ['--file', join(dir, 'id_ed25519'), '--file', join(dir, nonAscii)])), dir };
  }

  it('sends text and two files in one secret; open prints the text exactly and saves the files (0600) in --out', async () => {
    const sent = await sendWithFiles();
    const out = tempDir();
    const r = await hush(['open', '--out', out, sent.link], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('the deploy keys\n');
    expect(readFileSync(join(out, 'id_ed25519'))).toEqual(Buffer.from(binary));
    expect(readFileSync(join(out, nonAscii), 'utf8')).toBe('API_KEY=s3cr3t\n');
    expect(statSync(join(out, 'id_ed25519')).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain(`hush: saved ${join(out, 'id_ed25519')} (68.4 KiB)`);
    expect(r.stderr).toContain(`hush: saved ${join(out, nonAscii)} (15 B)`);
    expect(r.stderr).not.toContain('s3cr3t');
    expectFailure(await hush(['open', '--out', out, sent.link], { env }), 1, NOT_FOUND_MESSAGE);
  });

  it('saves into a new private directory in the working directory by default, never into the working directory itself', async () => {
    const here = tempDir();
    writeFileSync(join(here, 'id_ed25519'), 'mine, keep me');
    const opened: string[] = [];
    for (let i = 0; i < 2; i++) {
      const sent = await sendWithFiles('');
      const r = await hush(['open'], { input: sent.link, env, cwd: here });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      const made = readdirSync(here).filter((n) => n !== 'id_ed25519' && !opened.includes(n));
      expect(made).toHaveLength(1);
      const dir = made[0]!;
      opened.push(dir);
      expect(dir).toMatch(/^hush-files-[A-Za-z0-9]{6}$/);
      expect(statSync(join(here, dir)).mode & 0o777).toBe(0o700);
      expect(readdirSync(join(here, dir)).sort()).toEqual([nonAscii, 'id_ed25519'].sort());
      expect(readFileSync(join(here, dir, 'id_ed25519'))).toEqual(Buffer.from(binary));
      expect(statSync(join(here, dir, 'id_ed25519')).mode & 0o777).toBe(0o600);
      expect(r.stderr).toContain(`hush: the files go to a new directory only you can open: ./${dir}\n`);
      expect(r.stderr).toContain(`hush: saved ${join(here, dir, 'id_ed25519')} (68.4 KiB)\n`);
    }
    // Each open made its own directory; what was there is untouched, and nothing else was added.
    expect(readdirSync(here).sort()).toEqual([...opened, 'id_ed25519'].sort());
    expect(readFileSync(join(here, 'id_ed25519'), 'utf8')).toBe('mine, keep me');
    // Text alone makes no directory.
    const text = await send('just text');
    expect((await hush(['open'], { input: text.link, env, cwd: here })).stdout).toBe('just text');
    expect(readdirSync(here)).toHaveLength(3);
  });

  it('--out never overwrites without --force', async () => {
    const sent = await sendWithFiles('');
    const here = tempDir();
    writeFileSync(join(here, 'id_ed25519'), 'mine, keep me');
    const r = await hush(['open', '--out', here], { input: sent.link, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(here, 'id_ed25519'), 'utf8')).toBe('mine, keep me');
    expect(readFileSync(join(here, 'id_ed25519 (1)'))).toEqual(Buffer.from(binary));
    expect(r.stderr).toMatch(/id_ed25519 already exists in .*; saved as id_ed25519 \(1\) \(use --force to overwrite\)/);

    const again = await sendWithFiles('');
    const forced = await hush(['open', '--out', here, '--force', '--json', again.link], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(here, 'id_ed25519'))).toEqual(Buffer.from(binary));
    const json = JSON.parse(forced.stdout) as { message: string; files: { name: string; path: string; size: number }[] };
    expect(json.message).toBe('');
    expect(json.files).toEqual([
      { name: 'id_ed25519', path: join(here, 'id_ed25519'), size: binary.length },
      { name: nonAscii, path: join(here, nonAscii), size: 15 },
    ]);
  });

  it('cleans hostile names: no directories, no control or bidi characters', async () => {
    const files = [
      { name: '../../escape.txt', type: 'text/plain', content: new TextEncoder().encode('one') },
      { name: 'invoice\u202Efdp.exe', type: '', content: new TextEncoder().encode('two') },
      { name: '..', type: '', content: new TextEncoder().encode('three') },
    ];
    const sent = await sendSecret({ server: s.url, message: 'x', files });
    const root = tempDir();
    const out = join(root, 'a', 'b');
    mkdirSync(out, { recursive: true });
    const r = await hush(['open', '--out', out, sent.link], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['escape.txt', 'file', 'invoicefdp.exe']);
    expect(readdirSync(root)).toEqual(['a']);
    expect(readdirSync(join(root, 'a'))).toEqual(['b']);
  });

  it('never writes through a symlink planted at a file name, with or without --force', async () => {
    const out = tempDir();
    const target = join(tempDir(), 'precious');
    writeFileSync(target, 'do not touch');
    symlinkSync(target, join(out, 'id_ed25519'));
    const first = await sendWithFiles();
    expect((await hush(['open', '--out', out, first.link], { env })).code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('do not touch');
    expect(readFileSync(join(out, 'id_ed25519 (1)'))).toEqual(Buffer.from(binary));
    const second = await sendWithFiles();
    const forced = await hush(['open', '--force', '--out', out, second.link], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('do not touch');
    expect(lstatSync(join(out, 'id_ed25519')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(out, 'id_ed25519'))).toEqual(Buffer.from(binary));
  });

  it('files that cannot be written where asked go to a new private directory instead of being lost', async () => {
    const written = await writeReceived([{ name: 'key.pem', type: '', content: new TextEncoder().encode('k') }], '/nonexistent/hush-out', false);
    expect(written).toHaveLength(1);
    const [file] = written;
    dirs.push(dirname(file!.path));
    expect(dirname(file!.path)).toMatch(new RegExp(`^${tmpdir()}/hush-`));
    expect(statSync(dirname(file!.path)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file!.path, 'utf8')).toBe('k');
  });

  it('checks --out before using the secret up', async () => {
    const sent = await sendWithFiles();
    expectFailure(await hush(['open', '--out', '/nonexistent/dir', sent.link], { env }), 2, /cannot write files to "\/nonexistent\/dir" \(ENOENT\)/);
    const ok = await hush(['open', '--out', tempDir(), sent.link], { env });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('refuses files over the limit before reading or uploading them, and the server stores nothing', async () => {
    const small = await startServer({ maxSize: 64 * 1024 });
    try {
      const dir = tempDir();
      writeFileSync(join(dir, 'big.bin'), new Uint8Array(70_000));
      const r = await hush(['send', '--file', join(dir, 'big.bin')], { env: { HUSH_SERVER: small.url } });
      expectFailure(r, 2, 'the files are too large for this server: 68.4 KiB with the message, its limit is 64.0 KiB (65536 bytes) in all');
      // Under the limit by size, over it once the envelope is framed: refused by the exact check.
      writeFileSync(join(dir, 'edge.bin'), new Uint8Array(64 * 1024 - 20));
      const edge = await hush(['send', '--file', join(dir, 'edge.bin')], { env: { HUSH_SERVER: small.url } });
      expectFailure(edge, 2, /too large for this server: 64\.\d KiB encrypted/);
      expect(await small.store.stats()).toMatchObject({ liveSecrets: 0 });
    } finally {
      await small.close();
    }
  });

  it('sends up to 100 files; 101 are a usage error before any file is read or the server is asked', async () => {
    const dir = tempDir();
    const paths = Array.from({ length: 101 }, (_, i) => join(dir, `f${String(i)}.txt`));
    // Nothing exists and nothing listens: the count is refused before either could matter.
    const nowhere = `http://127.0.0.1:${String(await deadPort())}`;
    const refused = await hush(['send', ...paths.flatMap((p) => ['--file', p])], { input: 'x', env: { HUSH_SERVER: nowhere } });
    expectFailure(refused, 2, 'hush: a secret carries at most 100 files; 101 were given. Put them in one archive (tar, zip) and attach that.\n');
    paths.forEach((p, i) => writeFileSync(p, String(i)));
    const sent = await send('', paths.slice(0, 100).flatMap((p) => ['--file', p]));
    const out = tempDir();
    const r = await hush(['open', '--out', out], { input: sent.link, env });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toHaveLength(100);
    expect(readFileSync(join(out, 'f99.txt'), 'utf8')).toBe('99');
  });

  it('a received secret listing more than 100 files is refused before any file or directory is written', async () => {
    // Made by another client: 101 empty files, which Hush's own clients refuse to seal.
    const list = Array.from({ length: 101 }, (_, i) => ({ n: `f${String(i)}`, t: '', s: 0 }));
    const plaintext = new TextEncoder().encode(`${JSON.stringify({ v: 1, m: 'many', f: list })}\n`);
    const key = new Uint8Array(randomBytes(32));
    const keys = await deriveLinkKeys(key);
    const res = await fetch(`${s.url}/api/v1/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ciphertext: b64uEncode(await sealContainer(keys.encKey, plaintext)), verifier: b64uEncode(keys.verifier), passphrase: null, ttl: 3600, views: 2 }),
    });
    expect(res.status).toBe(201);
    const link = formatSecretLink(s.url, ((await res.json()) as { id: string }).id, key);
    const here = tempDir();
    const out = tempDir();
    expectFailure(await hush(['open'], { input: link, env, cwd: here }), 3, 'hush: the envelope lists more than 100 files\n');
    expectFailure(await hush(['open', '--out', out], { input: link, env }), 3, 'the envelope lists more than 100 files');
    expect(readdirSync(here)).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('holds 10 MiB in all by default: a file just under it goes through, one byte more is refused', async () => {
    const dir = tempDir();
    const limit = 10 * 1024 * 1024;
    const info = (await (await fetch(`${s.url}/api/v1/info`)).json()) as { limits: { maxSize: number } };
    expect(info.limits.maxSize).toBe(limit);
    // 28 bytes of IV and tag, and the JSON header with its newline, come on top of the file.
    const header = new TextEncoder().encode(JSON.stringify({ v: 1, m: '', e: 2_000_000_000, f: [{ n: 'big.bin', t: '', s: limit }] })).length + 1;
    const fits = limit - 28 - header;
    writeFileSync(join(dir, 'big.bin'), new Uint8Array(fits).fill(0x5a));
    const sent = await send('', ['--file', join(dir, 'big.bin')]);
    const out = tempDir();
    const r = await hush(['open', '--out', out, sent.link], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(out, 'big.bin')).size).toBe(fits);
    writeFileSync(join(dir, 'big.bin'), new Uint8Array(fits + 1));
    expectFailure(await hush(['send', '--file', join(dir, 'big.bin')], { env }), 2, /too large for this server: 10\.0 MiB encrypted \(10485761 bytes\)/);
  });
});

describe('links and secret settings given as arguments (visible in ps and shell history)', () => {
  const warning = (what: string): string => `hush: warning: a ${what} given as an argument is visible in shell history and to other users (ps); prefer stdin.\n`;

  it('open, unseal, status and revoke warn when the link is an argument, never when it comes on stdin; the warning holds no key', async () => {
    const { link, manageLink, fragment } = await send('warned', ['--views', '2']);
    const byArgument = await hush(['open', link], { env });
    expect(byArgument.stdout).toBe('warned');
    expect(byArgument.stderr).toBe(warning('link'));
    const byStdin = await hush(['open'], { input: link, env });
    expect(byStdin.stdout).toBe('warned');
    expect(byStdin.stderr).toBe('');

    const status = await hush(['status', manageLink], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toBe(warning('manage link'));
    expect((await hush(['status'], { input: manageLink, env })).stderr).toBe('');
    const revoked = await hush(['revoke', manageLink], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toBe(warning('manage link'));
    const other = await send('revoked quietly');
    const quiet = await hush(['revoke'], { input: other.manageLink, env });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');

    const sealed = await sealLink({ origin: s.url, message: 'sealed', ttl: 3600 });
    const unsealed = await hush(['unseal', sealed]);
    expect(unsealed.stdout).toBe('sealed');
    expect(unsealed.stderr).toBe(warning('link'));
    expect((await hush(['unseal'], { input: sealed })).stderr).toBe('');
    for (const r of [byArgument, status, revoked, unsealed]) expect(r.stderr).not.toContain(fragment);
  });

  it('respond and request wait take a fingerprint and an id, not a key: no warning', async () => {
    const keyDir = tempDir();
    const made = await hush(['request', '--key-dir', keyDir], { env });
    expect(made.code, made.stderr).toBe(0);
    const link = made.stdout.trim();
    const answered = await hush(['respond', link], { input: 'for the requester' });
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stderr).not.toContain('warning');
    const id = /\/r\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
    const got = await hush(['request', 'wait', id, '--key-dir', keyDir]);
    expect(got.stdout).toBe('for the requester');
    expect(got.stderr).toBe('');
  });

  it('hush serve warns about each flag holding a secret, naming its variable and never its value; not for hashes, URLs or the environment', async () => {
    const values = {
      'pow-key': 'POW-KEY-VALUE-0123456789',
      'turnstile-secret': 'TURNSTILE-SECRET-VALUE',
      'webhook-secret': 'WEBHOOK-SECRET-VALUE-0123456789abcdef',
      'origin-lock': 'ORIGIN-LOCK-VALUE-0123456789',
    };
    const store = 'postgres://hush:STORE-PASSWORD@127.0.0.1:1/hush';
    // A bad --port ends each run with a configuration error, after the warnings, before serving.
    const flagged = await hush(['serve', ...Object.entries(values).flatMap(([k, v]) => [`--${k}`, v]), `--store=${store}`, '--api-tokens', `sha256:${'0'.repeat(64)}`, '--webhooks', 'https://example.com/hook', '--port', 'eighty']);
    expect(flagged.code).toBe(1);
    const lines = flagged.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(lines).toEqual(
      [...Object.keys(values), 'store'].map(
        (flag) => `hush: warning: --${flag} given as an argument is visible in shell history and to other users (ps); prefer HUSH_${flag.toUpperCase().replaceAll('-', '_')}.`,
      ),
    );
    for (const v of [...Object.values(values), 'STORE-PASSWORD']) expect(flagged.stderr).not.toContain(v);

    const fromEnv = await hush(['serve', '--store', 'sqlite:/nonexistent/hush.db', '--port', 'eighty'], {
      env: { HUSH_POW_KEY: values['pow-key'], HUSH_ORIGIN_LOCK: values['origin-lock'], HUSH_WEBHOOK_SECRET: values['webhook-secret'] },
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(/^hush: configuration error: /);
    expect(fromEnv.stderr).not.toContain('warning');
  });
});

describe('hush status and revoke', () => {
  it('status goes from pending to consumed with the time it was read; --json prints the API object', async () => {
    const { link, manageLink } = await send('watch me', ['--ttl', '2h']);
    const before = await hush(['status', manageLink], { env });
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^state: +pending.*\nviews left: 1\nexpires: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n$/);
    await hush(['open', link], { env });
    const after = await hush(['status', manageLink], { env });
    expect(after.stdout).toMatch(/^state: +consumed \(read at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\nviews left: 0\n/);
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

describe('hush token', () => {
  it('prints a 256-bit token and the HUSH_API_TOKENS line a server accepts it with', async () => {
    const r = await hush(['token']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const token = r.stdout.trim();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const hex = createHash('sha256').update(token, 'utf8').digest('hex');
    expect(r.stderr).toMatch(new RegExp(`^HUSH_API_TOKENS=sha256:${hex}$`, 'm'));
    const other = (await hush(['token'])).stdout.trim();
    expect(other).not.toBe(token);

    const guarded = await startServer({ createPolicy: 'token', apiTokens: [hex], challenge: 'pow' });
    try {
      const withToken = await send('token holder', [], { HUSH_SERVER: guarded.url, HUSH_API_TOKEN: token });
      expect((await hush(['open', withToken.link])).stdout).toBe('token holder');
      const viaFlag = await hush(['send', '--token', token], { input: 'flag holder', env: { HUSH_SERVER: guarded.url } });
      expect(viaFlag.code, viaFlag.stderr).toBe(0);
      expect(viaFlag.stderr).toMatch(/^hush: warning: .*HUSH_API_TOKEN/m);
      const wrong = await hush(['send'], { input: 'intruder', env: { HUSH_SERVER: guarded.url, HUSH_API_TOKEN: other } });
      expectFailure(wrong, 3, /API token is not valid/);
      expect(wrong.stderr).not.toContain(other);
    } finally {
      await guarded.close();
    }
  });
});

describe('ids that begin with "-"', () => {
  // One id in 64 begins with "-": `hush request` prints `hush request wait <id>`, which must work.
  const dashId = '-93TYLGl3XUMbwIQfuwEtQ';
  it('parse as the id, before or after options, not as an unknown option', () => {
    const options = { every: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
    for (const args of [[dashId, '--every', '1s'], ['--every', '1s', dashId]]) {
      const parsed = parseCommand('request wait', args, options, 1);
      expect(parsed.positionals).toEqual([dashId]);
      expect(parsed.values.every).toBe('1s');
    }
    // Something that is not exactly an id's shape is still refused as an unknown option.
    expect(() => parseCommand('request wait', [dashId.slice(0, -1)], options, 1)).toThrow(/unknown option/);
  });

  it('hush request wait and cancel take such an id', async () => {
    const home = makeTempDir();
    for (const sub of ['wait', 'cancel']) {
      const r = await hush(['request', sub, dashId], { env: { HOME: home } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`no key file for request ${dashId}`);
    }
    rmSync(home, { recursive: true, force: true });
  });
});

describe('usage errors and failures', () => {
  const usage: [string, string[], string | Buffer | undefined, RegExp][] = [
    ['no command', [], undefined, /Usage: hush <command>/],
    ['an unknown command', ['sned'], 'x', /unknown command sned, did you mean send\?/],
    ['a command far from any known one', ['s3cr3t-value'], 'x', /^hush: unknown command \(see hush --help\)/],
    ['an unknown option', ['send', '--tll', '1h'], 'x', /unknown option --tll, did you mean --ttl\?/],
    ['a bad --ttl', ['send', '--ttl', 'soon'], 'x', /--ttl expects a duration/],
    ['--views 0', ['send', '--views', '0'], 'x', /--views expects a whole number/],
    ['an empty secret on stdin', ['send'], '', /the secret is empty/],
    ['two secrets', ['send', 'a', 'b'], undefined, /too many arguments/],
    ['a missing --message-file', ['send', '--message-file', '/nonexistent/secret.txt'], undefined, /cannot read the secret .*ENOENT/],
    ['a missing --file', ['send', '--file', '/nonexistent/key.pem'], undefined, /cannot read the file "\/nonexistent\/key.pem" \(ENOENT\)/],
    ['a directory as --file', ['send', '--file', '/tmp'], undefined, /"\/tmp" is not a file/],
    ['--file on a stateless link', ['seal', '--file', '/etc/hostname'], 'x', /a stateless link carries text only: attach files to a one-time secret/],
    ['--file on an answer to a request', ['respond', '--file', '/etc/hostname', 'http://127.0.0.1:1/r/AAAAAAAAAAAAAAAAAAAAAA#AAAAAAAAAAAAAAAAAAAAAA'], 'x', /an answer to a request carries text only/],
    ['a secret that is not UTF-8', ['send'], Buffer.from([0xff, 0xfe, 0x41]), /the secret is not UTF-8 text\. To send binary data, attach it as a file/],
    ['an option without its value', ['send', '--ttl'], 'x', /--ttl needs a value/],
    ['a link that is not a link', ['open', 'not a link'], undefined, /Not a valid Hush link/],
    ['a damaged link key', ['open', 'http://127.0.0.1:1/s/AAAAAAAAAAAAAAAAAAAAAA#short'], undefined, /Not a valid Hush link: the key/],
    ['a bad --server', ['send', '--server', 'ftp://example.com'], 'x', /--server must be an http\(s\) origin/],
    ['arguments to token', ['token', 'extra'], undefined, /takes no arguments/],
  ];
  for (const [name, args, input, message] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const r = await hush(args, { ...(input === undefined ? {} : { input }), env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }

  it('a server that is down exits 3 with a clear message', async () => {
    const port = await deadPort();
    const r = await hush(['send'], { input: 'nowhere to go', env: { HUSH_SERVER: `http://127.0.0.1:${String(port)}` } });
    expectFailure(r, 3, `Could not reach the Hush server at http://127.0.0.1:${String(port)}`);
    const o = await hush(['open', `http://127.0.0.1:${String(port)}/s/AAAAAAAAAAAAAAAAAAAAAA#${'A'.repeat(43)}`]);
    expectFailure(o, 3, 'Could not reach');
  });

  it('error output never carries the secret, the link key or the passphrase', async () => {
    const secret = 'TOP-SECRET-VALUE-1234';
    const passphrase = 'PASSPHRASE-VALUE-5678';
    const { link, manageLink, fragment } = await send(secret, [], { HUSH_PASSPHRASE: passphrase });
    const manageFragment = manageLink.split('#')[1]!;
    const failures = [
      await hush(['open', link], { env }),
      await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: 'not it' } }),
      await hush(['open', `${link}x`], { env }),
      await hush(['open', link, 'extra'], { env }),
      await hush(['unseal', link], { env }),
      await hush(['status', `${manageLink}x`], { env }),
      await hush(['send', '--ttl', secret], { input: secret, env }),
      await hush(['send', `--${secret}`], { input: secret, env }),
      await hush(['send', '--views', secret], { input: secret, env }),
      await hush(['send'], { input: secret, env: { HUSH_SERVER: `http://127.0.0.1:${String(await deadPort())}`, HUSH_PASSPHRASE: passphrase } }),
      await hush(['seal'], { input: `${secret}${'z'.repeat(3_000)}`, env }),
    ];
    for (const r of failures) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^hush: /);
      for (const hidden of [secret, passphrase, fragment, manageFragment]) expect(r.stderr).not.toContain(hidden);
    }
    // None of these used the secret up.
    const ok = await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: passphrase } });
    expect(ok.stdout).toBe(secret);
  });

  it('--help and --version', async () => {
    const help = await hush(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['send', 'open', 'status', 'revoke', 'seal', 'unseal', 'token', 'serve']) expect(help.stdout).toContain(`  ${command} `);
    const sendHelp = await hush(['send', '-h']);
    expect(sendHelp.code).toBe(0);
    expect(sendHelp.stdout).toMatch(/^Usage: hush send/);
    expect(sendHelp.stdout).toContain('--passphrase-file');
    const version = await hush(['--version']);
    expect(version.stdout).toBe(`${VERSION}\n`);
  });

  it('the launcher says to build first when dist/ is missing (exit 3)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    copyFileSync(new URL('../bin/hush.js', import.meta.url), join(dir, 'bin', 'hush.js'));
    const r = await hush(['--version'], { bin: join(dir, 'bin', 'hush.js') });
    expectFailure(r, 3, 'run npm run build first');
  });
});

describe('hush serve', () => {
  it('takes every setting as --flag value or --flag=value, answers the API, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawnHush(['serve', '--port', '0', `--store=sqlite:${join(dir, 'hush.db')}`, '--admin-port', 'off', '--rate-limit=off', '--challenge', 'off', '--max-views', '7'], {
      // Client variables do not trip the server's check for unknown HUSH_* settings.
      env: { HUSH_LOG_LEVEL: 'info', HUSH_API_TOKEN: 'client-only', HUSH_PASSPHRASE: 'client-only' },
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      void exited.then((code) => reject(new Error(`serve exited (${String(code)}): ${output}`)));
    });
    try {
      const info = (await (await fetch(`${url}/api/v1/info`)).json()) as { version: string; limits: { maxViews: number } };
      expect(info.version).toBe(VERSION);
      expect(info.limits.maxViews).toBe(7);
      const { link } = await send('served by hush serve', [], { HUSH_SERVER: url });
      expect((await hush(['open', link])).stdout).toBe('served by hush serve');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('a bad setting is a configuration error (exit 1); an unknown flag is a usage error (exit 2)', async () => {
    expectFailure(await hush(['serve', '--port', 'eighty']), 1, /hush: configuration error: --port/);
    expectFailure(await hush(['serve', '--prot', '8080']), 2, /unknown option --prot, did you mean --port\?/);
  });
});
