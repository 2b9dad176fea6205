// `hush send --file` and `hush open --out` end to end: files saved exactly, with mode 0600, never
// through a planted symlink or outside the chosen directory, and refused before anything is sent
// or used up when they cannot fit.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendSecret } from '../src/client/flows.js';
import { formatSecretLink } from '../src/protocol/links.js';
import { b64uEncode } from '../src/protocol/b64u.js';
import { sealContainer } from '../src/protocol/container.js';
import { deriveLinkKeys } from '../src/protocol/keys.js';
import { NOT_FOUND_MESSAGE } from '../src/server/errors.js';
import { hush } from './helpers/cli.js';
import { writeReceived } from '../src/cli/files.js';
import { startServer } from './helpers/server.js';
import { cliSession, removeLater, deadPort, env, expectFailure, s, send, tempDir, type Sent } from './helpers/cli-session.js';

cliSession();

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
    removeLater(dirname(file!.path));
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
