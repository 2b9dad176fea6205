// Secrets encrypted to the recipient's own age key (docs/protocol.md §14, issue 19 part 1): the
// link carries the link key wrapped with age, never the key. Interop both ways with the reference
// implementation (Debian's age and age-keygen): checked-in vectors made once by each side, and live
// keys made by age-keygen against the real CLI (dist/, so `npm run build` first) and a real server.
// A missing or wrong identity must fail before any request: the secret's history stays "created".
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ageFileLines, checkAgeIdentities, checkAgeRecipients, unwrapLinkKey, wrapLinkKey } from '../src/client/age.js';
import { ClientError } from '../src/client/errors.js';
import { isProtocolError } from '../src/protocol/errors.js';
import { formatAgeSecretLink, formatSecretLink, parseAgeFragment, parseKeyFragment, parseSecretLink, parseStoredSecretLink } from '../src/protocol/links.js';
import { hush } from './helpers/cli.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { cliSession, env, expectFailure, MANAGE, s, tempDir } from './helpers/cli-session.js';

cliSession();

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const vectorPath = (name: string): string => join(import.meta.dirname, 'vectors', name);

interface AgeVectors {
  identityFile: string;
  recipient: string;
  key_hex: string;
  origin: string;
  id: string;
  keyLink: string;
  files: Record<string, { madeBy: string; link: string }>;
  invalidFragments: { fragment: string; why: string }[];
}
const V = JSON.parse(readFileSync(vectorPath('age-v1.json'), 'utf8')) as AgeVectors;
const K = Buffer.from(V.key_hex, 'hex');
/** The vector identity's secret key lines, as `hush open --identity` reads them. */
const vectorIdentities = (): string[] =>
  checkAgeIdentities(ageFileLines(readFileSync(vectorPath(V.identityFile), 'utf8')).map(({ value, line }) => ({ value, where: `line ${String(line)}` })));

/** `age -d -i IDENTITY` of `file` (bytes on stdin): the reference implementation's plaintext. */
const ageDecrypt = (identity: string, file: Uint8Array): Buffer => execFileSync(AGE, ['-d', '-i', identity], { input: file });

/** A fresh key made by age-keygen: the identity file's path and its recipient (age-keygen -y). */
function keygen(dir: string, name: string): { file: string; recipient: string } {
  const file = join(dir, name);
  execFileSync(AGE_KEYGEN, ['-o', file], { stdio: 'ignore' });
  return { file, recipient: execFileSync(AGE_KEYGEN, ['-y', file], { encoding: 'utf8' }).trim() };
}

const AGE_LINK = /^http:\/\/127\.0\.0\.1:\d+\/s\/([A-Za-z0-9_-]{22})#age\.([A-Za-z0-9_-]+)$/;

/** `hush send` with age options; asserts success and the link's shape, and returns both links. */
async function sendAge(secret: string, args: string[]): Promise<{ link: string; manageLink: string; ageFile: Buffer }> {
  const r = await hush(['send', ...args], { input: secret, env });
  expect(r.code, r.stderr).toBe(0);
  const link = r.stdout.trim();
  const m = AGE_LINK.exec(link);
  expect(m, link).not.toBeNull();
  return { link, manageLink: MANAGE.exec(r.stderr)![1]!, ageFile: Buffer.from(m![2]!, 'base64url') };
}

/** The secret's status text: views left, and a history that says whether anyone asked for it. */
async function status(manageLink: string): Promise<string> {
  const r = await hush(['status'], { input: manageLink, env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** Nothing was asked of the server: one view left, and "created" is the only event. */
async function expectUntouched(manageLink: string): Promise<void> {
  const text = await status(manageLink);
  expect(text).toMatch(/^state: +pending/);
  expect(text).toMatch(/\nviews left: 1\n/);
  expect(text).toMatch(/history:\n {2}[^\n]* UTC {2}created with the hush CLI\n$/);
}

describe('age vectors (test/vectors/age-*), both ways with the reference age', () => {
  it('the vector made once by `age -r` opens with our code, and its link is age.{b64u(file)}', async () => {
    const file = readFileSync(vectorPath('age-from-age.age'));
    expect(Buffer.from(await unwrapLinkKey(file, vectorIdentities()))).toEqual(K);
    const { link } = V.files['age-from-age.age']!;
    expect(formatAgeSecretLink(V.origin, V.id, file)).toBe(link);
    const parsed = parseStoredSecretLink(link);
    expect(parsed).toMatchObject({ kind: 'age', origin: V.origin, id: V.id });
    expect(parsed.kind === 'age' && Buffer.from(parsed.ageFile).equals(file)).toBe(true);
    // The key it holds is the key of the plain link for the same secret.
    expect(formatSecretLink(V.origin, V.id, K)).toBe(V.keyLink);
  });

  it('the vector made once by our code decrypts with `age -d -i` to the 32-byte link key', async () => {
    const file = readFileSync(vectorPath('age-from-hush.age'));
    expect(ageDecrypt(vectorPath(V.identityFile), file)).toEqual(K);
    expect(formatAgeSecretLink(V.origin, V.id, file)).toBe(V.files['age-from-hush.age']!.link);
    expect(Buffer.from(await unwrapLinkKey(file, vectorIdentities()))).toEqual(K);
  });

  it('fresh files: ours decrypt with `age -d`, and age -r output unwraps with ours, for a key made by age-keygen', async () => {
    const key = keygen(tempDir(), 'key.txt');
    const k = crypto.getRandomValues(new Uint8Array(32));
    const ours = await wrapLinkKey(k, checkAgeRecipients([{ value: key.recipient, where: 'test' }]));
    expect(ageDecrypt(key.file, ours)).toEqual(Buffer.from(k));
    const theirs = execFileSync(AGE, ['-r', key.recipient], { input: k });
    const identity = checkAgeIdentities(ageFileLines(readFileSync(key.file, 'utf8')).map(({ value }) => ({ value, where: 'test' })));
    expect(Buffer.from(await unwrapLinkKey(theirs, identity))).toEqual(Buffer.from(k));
  });

  it('malformed age fragments are invalid_link; a v1 key parser refuses an age link as damaged and never reads a key from it', () => {
    for (const { fragment, why } of V.invalidFragments) {
      expect(() => parseAgeFragment(fragment), why).toThrow(expect.objectContaining({ code: 'invalid_link' }));
    }
    const { link } = V.files['age-from-age.age']!;
    const fragment = link.slice(link.indexOf('#') + 1);
    expect(() => parseKeyFragment(fragment)).toThrow(expect.objectContaining({ code: 'invalid_link', message: 'the key in the link is damaged' }));
    expect(() => parseSecretLink(link)).toThrow(expect.objectContaining({ code: 'invalid_link', message: expect.stringMatching(/age key.*--identity/) }));
  });

  it('a wrong identity is wrong_identity, no identity is identity_required, and an age file holding anything but 32 bytes is invalid_link', async () => {
    const other = keygen(tempDir(), 'other.txt');
    const file = readFileSync(vectorPath('age-from-age.age'));
    const otherIds = checkAgeIdentities(ageFileLines(readFileSync(other.file, 'utf8')).map(({ value }) => ({ value, where: 'x' })));
    await expect(unwrapLinkKey(file, otherIds)).rejects.toMatchObject({ code: 'wrong_identity' });
    await expect(unwrapLinkKey(file, [])).rejects.toMatchObject({ code: 'identity_required' });
    const notAKey = execFileSync(AGE, ['-r', V.recipient], { input: Buffer.alloc(31) });
    await expect(unwrapLinkKey(notAKey, vectorIdentities())).rejects.toSatisfy((e) => isProtocolError(e, 'invalid_link'));
  });

  it('recipient and identity files are read as age reads them: one per line, # comments and blank lines skipped, CR dropped', () => {
    expect(ageFileLines('# team\n\nage1a\r\n#age1b\nage1c')).toEqual([
      { line: 3, value: 'age1a' },
      { line: 5, value: 'age1c' },
    ]);
    expect(() => checkAgeRecipients([{ value: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJgE1240mCyWQRPB6hcGuVqX6wVtrJJZCGh1KSAaODmB', where: '--to #1' }])).toThrow(/SSH keys are not supported/);
    expect(() => checkAgeIdentities([{ value: '-----BEGIN OPENSSH PRIVATE KEY-----', where: 'id line 1' }])).toThrow(/SSH keys are not supported/);
    expect(() => checkAgeRecipients([{ value: 'age1notarecipient', where: '--to #1' }])).toThrow(ClientError);
  });
});

describe('hush send --to and hush open --identity, with keys from age-keygen and a real server', () => {
  it('a key made by age-keygen opens a secret sent to it (hush send --to $(age-keygen -y key.txt); hush open --identity key.txt)', async () => {
    const key = keygen(tempDir(), 'key.txt');
    const { link, ageFile } = await sendAge('for the key holder\n', ['--to', key.recipient]);
    // The link carries an age file (for that recipient), not a key.
    expect(ageFile.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    const r = await hush(['open', '--identity', key.file], { input: link, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('for the key holder\n');
    expect(r.stderr).toBe('');
  });

  it('--export-age writes the age file, which `age -d -i key.txt` decrypts to the link key; that key opens the secret in a plain link', async () => {
    const key = keygen(tempDir(), 'key.txt');
    const { link, ageFile, manageLink } = await sendAge('exported', ['--to', key.recipient]);
    const exported = await hush(['open', '--export-age'], { input: link, env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdoutBytes.equals(ageFile)).toBe(true);
    await expectUntouched(manageLink); // exporting asks nothing of the server
    const k = ageDecrypt(key.file, exported.stdoutBytes);
    expect(k).toHaveLength(32);
    const { origin, id } = parseStoredSecretLink(link);
    const plain = await hush(['open'], { input: formatSecretLink(origin, id, k), env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe('exported');
  });

  it('a wrong identity fails with a clear message and consumes nothing; the secret then opens with the right one', async () => {
    const dir = tempDir();
    const [right, wrong] = [keygen(dir, 'right.txt'), keygen(dir, 'wrong.txt')];
    const { link, manageLink } = await sendAge('only for right', ['--to', right.recipient]);
    const r = await hush(['open', '--identity', wrong.file], { input: link, env });
    expectFailure(r, 1, 'None of the given identities can open this secret: it was encrypted to other age keys. Nothing was used up.');
    await expectUntouched(manageLink);
    const ok = await hush(['open', '--identity', wrong.file, '--identity', right.file], { input: link, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('only for right');
  });

  it('opening such a link without --identity gives a clear message and consumes nothing', async () => {
    const key = keygen(tempDir(), 'key.txt');
    const { link, manageLink } = await sendAge('needs the key', ['--to', key.recipient]);
    const r = await hush(['open'], { input: link, env });
    expectFailure(r, 1, /encrypted to an age key: give the matching identity file with --identity FILE/);
    await expectUntouched(manageLink);
    expect((await hush(['open', '--identity', key.file], { input: link, env })).stdout).toBe('needs the key');
  });

  it('several recipients: any one of them opens it', async () => {
    const dir = tempDir();
    const keys = [keygen(dir, 'a.txt'), keygen(dir, 'b.txt'), keygen(dir, 'c.txt')];
    const { link } = await sendAge('shared', [...keys.flatMap((k) => ['--to', k.recipient]), '--views', '3']);
    for (const k of [keys[2]!, keys[0]!, keys[1]!]) {
      const r = await hush(['open', '--identity', k.file], { input: link, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('shared');
    }
  });

  it('--to-file reads recipients as age -R does: comments, blank lines, CRLF; the same file works with age -R', async () => {
    const dir = tempDir();
    const [a, b] = [keygen(dir, 'a.txt'), keygen(dir, 'b.txt')];
    const list = join(dir, 'team.txt');
    writeFileSync(list, `# the on-call team\n\n# alice\n${a.recipient}\r\n# bob\n${b.recipient}\n`);
    execFileSync(AGE, ['-R', list], { input: 'the reference accepts this file' });
    const { link, ageFile } = await sendAge('to the team', ['--to-file', list, '--views', '2']);
    for (const k of [a, b]) expect(ageDecrypt(k.file, ageFile)).toHaveLength(32);
    for (const k of [b, a]) expect((await hush(['open', '--identity', k.file], { input: link, env })).stdout).toBe('to the team');
  });

  it('SSH keys, malformed recipients and a file without recipients are refused before anything is stored, without echoing them', async () => {
    const dir = tempDir();
    const before = (await s.store.stats()).liveSecrets;
    const ssh = await hush(['send', '--to', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJgE1240mCyWQRPB6hcGuVqX6wVtrJJZCGh1KSAaODmB me@host'], { input: 'x', env });
    expectFailure(ssh, 2, /--to #1: SSH keys are not supported: age-encryption.*no ssh-ed25519/);
    const bad = await hush(['send', '--to', 'age1s3cr3tlooking'], { input: 'x', env });
    expectFailure(bad, 2, /--to #1: not an age recipient/);
    expect(bad.stderr).not.toContain('s3cr3t');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '# nobody yet\n\n');
    expectFailure(await hush(['send', '--to-file', empty], { input: 'x', env }), 2, /no recipients found/);
    const sshKey = join(dir, 'id_ed25519');
    writeFileSync(sshKey, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    const key = keygen(dir, 'key.txt');
    const { link, manageLink } = await sendAge('kept', ['--to', key.recipient]);
    expectFailure(await hush(['open', '--identity', sshKey], { input: link, env }), 2, /SSH keys are not supported/);
    expectFailure(await hush(['open', '--export-age'], { input: formatSecretLink(s.url, 'AAAAAAAAAAAAAAAAAAAAAA', new Uint8Array(32)), env }), 2, /carries its key itself/);
    await expectUntouched(manageLink);
    expect((await s.store.stats()).liveSecrets).toBe(before + 1);
  });
});

describe('the reveal page and an age link', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());

  it('says the secret is encrypted to the reader’s age key and opens with hush open --identity; it sends nothing and keeps the link', async () => {
    const key = keygen(tempDir(), 'key.txt');
    const { link, manageLink } = await sendAge('not in a browser', ['--to', key.recipient]);
    const w = await watchedPage(await browser.newContext());
    const api: string[] = [];
    w.page.on('request', (r) => {
      if (r.url().includes('/api/')) api.push(r.url());
    });
    await w.page.goto(link);
    await w.page.waitForSelector('#gone:not([hidden])');
    expect(await w.page.textContent('#gone')).toBe('This secret is encrypted to your own age key: open it with “hush open --identity FILE”.');
    expect(await w.page.isVisible('#reveal')).toBe(false);
    expect(w.page.url()).toBe(link);
    expect(api).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(await w.violations()).toEqual([]);
    // Serving the page adds its "opened" event (docs/protocol.md §9); nothing was read.
    expect(await status(manageLink)).toMatch(/^state: +pending[^\n]*\nviews left: 1\n/);
    expect((await hush(['open', '--identity', key.file], { input: link, env })).stdout).toBe('not in a browser');
  });
});
