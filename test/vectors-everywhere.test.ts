// Every vector of test/vectors/v1.json, positive and negative, through every path a person or a
// program takes: the library's public API (src/lib.ts), the `hush` binary (bin/hush.js), and the
// pages' code in Chromium — as typage runs its testkit everywhere. test/protocol.test.ts and
// test/request-protocol.test.ts hold the same vectors against the protocol module and an
// independent node:crypto reader; this file shows that nothing between the protocol and the user
// (the flows, the runners and the worker boundary, the CLI and the pages with what they make of
// the answer) changes a byte of a plaintext or the error a reader gets.
//
// The server serves the vectors as they are: each path gets its own real server, whose store is
// planted with the vector's id, verifier, passphrase parameters and ciphertext (stored vectors),
// or with requests holding the vector's public key and note, answered with the vector's responses.
// Stateless vectors need no server; their links are given the test server's origin, where the
// page that opens them lives. Positive vectors must give the exact plaintext (and files); negative
// ones the expected code — as a code from the library, as the exit code and sentence the CLI maps
// that code to (src/cli/errors.ts), and as the sentence a page shows for it (src/web/i18n/en.ts).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushError, importRequesterKeys, openLink, pickupResponse, respondToRequest, type HushErrorCode } from '../src/lib.js';
import { b64uDecode, b64uEncode, formatRequestLink, formatSecretLink, openResponse } from '../src/protocol/index.js';
import { safeFileName } from '../src/shared/filenames.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vector file is data; each field is checked by use
const V: any = JSON.parse(readFileSync(new URL('./vectors/v1.json', import.meta.url), 'utf8'));
const R = V.request;
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const sha = (b: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
/** A valid id (16 bytes) of its own for each planted vector after the first. */
const idOf = (name: string): string => b64uEncode(sha(name).slice(0, 16));
/** Only canonical base64url stands for bytes: the strict decoder refuses every other spelling. */
const canonical = (b64u: string): boolean => {
  try {
    return b64uEncode(b64uDecode(b64u)) === b64u;
  } catch {
    return false;
  }
};

interface FileVector {
  name: string;
  type: string;
  /** Hex. */
  content: string;
}
/** A file as the CLI and the pages hand it over: a name and bytes (the sender's media type is never acted on, §4). */
type Received = Omit<FileVector, 'type'>;
type Expect = { message: string; files: FileVector[]; raw: boolean; sealedExpiresAt: number | undefined } | { code: HushErrorCode; expiredAt?: number };
const isError = (e: Expect): e is { code: HushErrorCode; expiredAt?: number } => 'code' in e;

const K = V.inputs.k as string;
const opened = (message: string, more: Partial<Exclude<Expect, { code: HushErrorCode }>> = {}): Expect => ({
  message,
  files: [],
  raw: false,
  sealedExpiresAt: V.inputs.expiresAt,
  ...more,
});

/** Every container of the vector file with what a reader must make of it (key k, no passphrase). */
const CONTAINERS: [string, string, Expect][] = [
  ['the stored container', V.containers.stored_b64u, opened(V.inputs.message)],
  ['a plaintext that is not an envelope', V.containers.raw_b64u, opened(V.containers.raw_text, { raw: true, sealedExpiresAt: undefined })],
  ['a message with two files', V.containers.files_b64u, opened(V.envelopes.files.message, { files: V.envelopes.files.files })],
  ['an envelope from a newer version', V.containers.future_version_b64u, { code: 'unsupported_version' }],
  ['an envelope whose sealed expiry passed', V.containers.expired_b64u, { code: 'expired', expiredAt: V.containers.expired_at }],
  ...(V.bad_containers as { why: string; b64u: string }[]).map((b): [string, string, Expect] => [`bad container: ${b.why}`, b.b64u, { code: 'decryption_failed' }]),
];

interface StoredCase {
  name: string;
  id: string;
  container: string;
  /** The secret's passphrase parameters (the vector's salt, iterations and proof verifier), and what the reader types. */
  passphrase?: { typed: string };
  expect: Expect;
}
// A server holds bytes and hands out their canonical base64url: a container spelled otherwise
// (padding, +/, whitespace) cannot come from a server, so those three go through the stateless
// path only, where the link carrying them is refused.
const STORED: StoredCase[] = [
  ...CONTAINERS.filter(([, b64u]) => canonical(b64u)).map(([name, container, expect], i) => ({ name, id: i === 0 ? V.inputs.id : idOf(name), container, expect })),
  // The passphrase given in NFD opens what was sealed with it in NFC (§2: NFC first).
  { name: 'the passphrase container', id: idOf('pp'), container: V.containers.stored_passphrase_b64u, passphrase: { typed: V.inputs.passphrase }, expect: opened(V.inputs.message) },
  { name: 'the passphrase container, a wrong passphrase', id: idOf('pp wrong'), container: V.containers.stored_passphrase_b64u, passphrase: { typed: 'Tr0ub4dor&4' }, expect: { code: 'wrong_passphrase' } },
];

interface StatelessCase {
  name: string;
  fragment: string;
  passphrase?: string;
  expect: Expect;
}
const fragmentOf = (link: string): string => link.slice(link.indexOf('#') + 1);
const STATELESS: StatelessCase[] = [
  { name: 'links.stateless_key', fragment: fragmentOf(V.links.stateless_key), expect: opened('stateless hello') },
  { name: 'links.stateless_passphrase', fragment: fragmentOf(V.links.stateless_passphrase), passphrase: V.inputs.passphrase, expect: opened('stateless hello') },
  { name: 'links.stateless_passphrase, a wrong passphrase', fragment: fragmentOf(V.links.stateless_passphrase), passphrase: 'Tr0ub4dor&4', expect: { code: 'decryption_failed' } },
  // Every container again, in a keyed stateless link (k and the container: the key derivation of a
  // stored secret's, §5). A container that is not canonical base64url makes the link malformed.
  ...CONTAINERS.map(([name, container, expect]) => ({
    name: `keyed link: ${name}`,
    fragment: `1.${b64uEncode(hex(K))}.${container}`,
    expect: canonical(container) ? expect : { code: 'invalid_link' as const },
  })),
];

interface ResponseCase {
  name: string;
  id: string;
  response: string;
  jwk: JsonWebKey;
  expect: Expect;
}
// As for containers, a response is stored as bytes: the one spelled with padding cannot come
// from a server and is left to test/request-protocol.test.ts.
const RESPONSES: ResponseCase[] = [
  { name: 'request.response_b64u', id: idOf('response'), response: R.response_b64u, jwk: R.inputs.requester_jwk, expect: opened(R.inputs.message) },
  { name: 'request.response_b64u opened with other_jwk', id: idOf('other'), response: R.response_b64u, jwk: R.inputs.other_jwk, expect: { code: 'decryption_failed' } },
  ...(R.bad_responses as { why: string; b64u: string }[])
    .filter((b) => canonical(b.b64u))
    .map((b) => ({ name: `bad response: ${b.why}`, id: idOf(`bad response ${b.why}`), response: b.b64u, jwk: R.inputs.requester_jwk, expect: { code: 'decryption_failed' as const } })),
];

interface SenderCase {
  name: string;
  id: string;
  fingerprint: string;
  /** What the sender's client must do: send (and the answer opens with the requester's vector key), or refuse. */
  refuses: HushErrorCode | null;
}
const SENDERS: SenderCase[] = [
  { name: 'request.link', id: R.inputs.id, fingerprint: R.fingerprint_b64u, refuses: null },
  // The server holds the note too: a fingerprint over the key alone does not match (§7).
  { name: 'request.fingerprint_without_note_b64u', id: idOf('without note'), fingerprint: R.fingerprint_without_note_b64u, refuses: 'key_mismatch' },
];

const TOKEN = new Uint8Array(32).fill(7);
const DAY = 86_400_000;

/** A real server whose store holds every stored and request vector. */
async function plantedServer(): Promise<TestServer> {
  const s = await startServer();
  const now = Date.now();
  const quota = { maxSecrets: 1_000, maxBytes: 1024 ** 3 };
  for (const c of STORED) {
    const passphrase = c.passphrase && { salt: b64uEncode(hex(V.inputs.salt)), iterations: V.inputs.iterations, verifier: hex(V.keys.proof_verifier), attempts: 5 };
    const secret = { id: c.id, ciphertext: b64uDecode(c.container), verifier: hex(V.keys.verifier), manageHash: sha(c.id), passphrase: passphrase ?? null };
    expect(await s.store.create({ ...secret, views: 1, createdAt: now, expiresAt: now + DAY, notBefore: null }, quota)).toBe('created');
  }
  const request = { publicKey: hex(R.requester_public), note: R.inputs.note as string, tokenHash: sha(TOKEN), createdAt: now, expiresAt: now + DAY };
  for (const c of RESPONSES) {
    expect(await s.store.createRequest({ ...request, id: c.id }, quota)).toBe('created');
    expect(await s.store.answerRequest(c.id, b64uDecode(c.response), now, quota)).toBe('answered');
  }
  for (const c of SENDERS) expect(await s.store.createRequest({ ...request, id: c.id }, quota)).toBe('created');
  return s;
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Files as a reader gets them: names cleaned as every reader cleans them (safeFileName), contents exact. */
const wantFiles = (e: { files: FileVector[] }): Received[] => e.files.map((f) => ({ name: safeFileName(f.name), content: f.content }));

it('every container and response of the vector file is in a case; only spellings no server can send are left out of the server paths', () => {
  const badContainers = (V.bad_containers as unknown[]).length;
  const badResponses = (R.bad_responses as unknown[]).length;
  expect(CONTAINERS).toHaveLength(5 + badContainers);
  expect(STATELESS).toHaveLength(3 + CONTAINERS.length);
  expect(CONTAINERS.filter(([, b64u]) => !canonical(b64u)).map(([name]) => name)).toEqual([
    'bad container: padding',
    'bad container: standard base64 alphabet',
    'bad container: whitespace',
    'bad container: non-canonical trailing bits',
  ]);
  expect(STORED).toHaveLength(CONTAINERS.length - 4 + 2);
  expect((R.bad_responses as { why: string; b64u: string }[]).filter((b) => !canonical(b.b64u)).map((b) => b.why)).toEqual(['padding', 'non-canonical trailing bits']);
  expect(RESPONSES).toHaveLength(2 + badResponses - 2);
});

describe('through the library (src/lib.ts)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await plantedServer();
  });
  afterAll(() => s.close());
  const outcome = (p: Promise<{ message: string; files: readonly { name: string; type: string; content: Uint8Array }[]; raw: boolean; sealedExpiresAt: number | undefined }>) =>
    p.then(
      (o) => ({ message: o.message, files: o.files.map((f) => ({ name: f.name, type: f.type, content: hexOf(f.content) })), raw: o.raw, sealedExpiresAt: o.sealedExpiresAt }),
      (e: unknown) => e,
    );
  const check = (got: unknown, want: Expect): void => {
    if (isError(want)) {
      expect(got).toBeInstanceOf(HushError);
      expect(got).toMatchObject(want);
    } else {
      expect(got).toEqual(want);
    }
  };

  it.each(STORED)('openLink, stored: $name', async (c) => {
    // The very vector link (origin hush.example), told to talk to the test server.
    const link = formatSecretLink(V.inputs.origin, c.id, hex(K));
    if (c.id === V.inputs.id) expect(link).toBe(V.links.stored);
    check(await outcome(openLink(link, { server: s.url, ...(c.passphrase && { passphrase: c.passphrase.typed }) })), c.expect);
  });

  it.each(STATELESS)('openLink, stateless: $name', async (c) => {
    check(await outcome(openLink(`${V.inputs.origin}/l#${c.fragment}`, { ...(c.passphrase !== undefined && { passphrase: c.passphrase }) })), c.expect);
  });

  it.each(RESPONSES)('pickupResponse: $name', async (c) => {
    const keys = await importRequesterKeys(c.jwk);
    const got = await outcome(pickupResponse({ server: s.url, id: c.id, token: b64uEncode(TOKEN), keys }).then((r) => ({ ...r, files: [] })));
    check(got, c.expect);
  });

  it.each(SENDERS)('respondToRequest: $name', async (c) => {
    const link = formatRequestLink(V.inputs.origin, c.id, b64uDecode(c.fingerprint));
    if (c.refuses === null) expect(link).toBe(R.link);
    const refusal = await respondToRequest(link, 'answered through the library', { server: s.url }).then(() => null, (e: unknown) => e);
    if (c.refuses === null) expect(refusal).toBeNull();
    else expect(refusal).toMatchObject({ name: 'ProtocolError', code: c.refuses });
    await expectAnswer(s, c, 'answered through the library');
  });
});

/** After a sender case: a refused request still open with nothing stored, or one answer, which the vector's requester key opens. */
async function expectAnswer(s: TestServer, c: SenderCase, message: string): Promise<void> {
  if (c.refuses !== null) {
    expect(await s.store.requestStatus(c.id, sha(TOKEN), Date.now())).toMatchObject({ state: 'open' });
    return;
  }
  const taken = await s.store.pickupRequest(c.id, sha(TOKEN), Date.now());
  expect(taken).not.toBeNull();
  const keys = await importRequesterKeys(R.inputs.requester_jwk);
  expect((await openResponse(keys, b64uEncode(taken!.ciphertext))).message).toBe(message);
}

// What the CLI says for each code a vector can give: its exit code and the start of its line
// (src/cli/errors.ts).
const CLI_SAYS: Partial<Record<HushErrorCode, [number, RegExp]>> = {
  decryption_failed: [1, /^hush: Could not decrypt/],
  expired: [1, /^hush: This secret expired on /],
  unsupported_version: [3, /^hush: this secret was made by a newer version of Hush/],
  invalid_link: [2, /^hush: Not a valid Hush link/],
  wrong_passphrase: [1, /^hush: Wrong passphrase: 4 attempts left/],
  key_mismatch: [1, /^hush: Refusing to send/],
};

describe('through the CLI (bin/hush.js)', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await plantedServer();
    dir = mkdtempSync(join(tmpdir(), 'hush-vectors-'));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `hush <command> --json` with the link on stdin; the opened secret (files read back) or the failure. */
  async function run(args: string[], link: string, passphrase: string | undefined, want: Expect): Promise<void> {
    const out = mkdtempSync(join(dir, 'out-'));
    const r = await hush([...args, '--json', '--out', out], { input: link, env: passphrase === undefined ? {} : { HUSH_PASSPHRASE: passphrase } });
    if (isError(want)) {
      const [exit, says] = CLI_SAYS[want.code]!;
      expect(r.stderr).toMatch(says);
      expect(r.code).toBe(exit);
      expect(r.stdout).toBe('');
      return;
    }
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as { message: string; files: { name: string; path: string }[]; expiresAt: string | null };
    expect(got.message).toBe(want.message);
    expect(got.files.map((f) => ({ name: f.name, content: hexOf(readFileSync(f.path)) }))).toEqual(wantFiles(want));
    expect(got.expiresAt).toBe(want.sealedExpiresAt === undefined ? null : new Date(want.sealedExpiresAt * 1000).toISOString());
  }

  it.each(STORED)('hush open, stored: $name', (c) => run(['open'], formatSecretLink(s.url, c.id, hex(K)), c.passphrase?.typed, c.expect));

  it.each(STATELESS)('hush unseal: $name', (c) => run(['unseal'], `${s.url}/l#${c.fragment}`, c.passphrase, c.expect));

  it.each(RESPONSES)('hush request wait: $name', async (c) => {
    // The key file `hush request` would have written for this request, holding the vector's key.
    const keyDir = mkdtempSync(join(dir, 'keys-'));
    const link = formatRequestLink(s.url, c.id, hex(R.fingerprint));
    writeFileSync(join(keyDir, `${c.id}.json`), JSON.stringify({ version: 1, id: c.id, server: s.url, link, token: b64uEncode(TOKEN), expiresAt: new Date(Date.now() + DAY).toISOString(), privateKey: c.jwk }), { mode: 0o600 });
    const r = await hush(['request', 'wait', c.id, '--key-dir', keyDir, '--json', '--every', '1s']);
    if (isError(c.expect)) {
      const [exit, says] = CLI_SAYS[c.expect.code]!;
      expect(r.stderr).toMatch(says);
      expect(r.code).toBe(exit);
      return;
    }
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ message: c.expect.message, expiresAt: new Date(R.inputs.expiresAt * 1000).toISOString() });
  });

  it.each(SENDERS)('hush respond: $name', async (c) => {
    const r = await hush(['respond', formatRequestLink(s.url, c.id, b64uDecode(c.fingerprint))], { input: 'answered through the CLI' });
    if (c.refuses !== null) {
      const [exit, says] = CLI_SAYS[c.refuses]!;
      expect(r.stderr).toMatch(says);
      expect(r.code).toBe(exit);
    } else {
      expect(r.code, r.stderr).toBe(0);
    }
    await expectAnswer(s, c, 'answered through the CLI');
  });
});

// What the pages say for each code a vector can give (src/web/i18n/en.ts; the pages show words,
// not codes). The stateless page words a failed decryption with a passphrase as a wrong passphrase.
const PAGE_SAYS: Partial<Record<HushErrorCode, RegExp>> = {
  decryption_failed: /^This secret could not be decrypted: the link or the passphrase is wrong, or the data was damaged\.$/,
  expired: /^This secret expired on \w/,
  unsupported_version: /^This secret was made by a newer version of Hush\./,
  invalid_link: /^This link is incomplete or damaged/,
  wrong_passphrase: /^Wrong passphrase\. 4 attempts left before the secret is destroyed\.$/,
  key_mismatch: /^Stop: the key this server gives for the request does not match the link\./,
};
const STATELESS_WRONG = /^Wrong passphrase, or the link is damaged\./;

describe('through the pages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await Promise.all([plantedServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser.close();
    await s.close();
  });

  /** Presses "Reveal secret" (typing the passphrase first) and reads what the page shows: the secret and its downloads, or its one sentence. */
  async function reveal(page: Page, ready: string, passphrase: string | undefined): Promise<{ message: string; files: Received[] } | string> {
    await page.waitForSelector(`${ready}, #gone:not([hidden])`);
    if (await page.isVisible('#gone')) return (await page.textContent('#gone')) ?? '';
    if (passphrase !== undefined) await page.fill('#passphrase', passphrase);
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden]), #gone:not([hidden]), #reveal-error:not([hidden])');
    for (const box of ['#gone', '#reveal-error']) if (await page.isVisible(box)) return (await page.textContent(box)) ?? '';
    const files: Received[] = [];
    for (const a of await page.locator('#file-list a').all()) {
      const [download] = await Promise.all([page.waitForEvent('download'), a.click()]);
      files.push({ name: download.suggestedFilename(), content: hexOf(readFileSync(await download.path())) });
    }
    return { message: await page.inputValue('#secret-text'), files };
  }

  const check = (got: { message: string; files: Received[] } | string, want: Expect, says?: RegExp): void => {
    if (isError(want)) expect(got).toMatch(says ?? PAGE_SAYS[want.code]!);
    else expect(got).toEqual({ message: want.message, files: wantFiles(want) });
  };

  /** Runs in a fresh context; the page must log no error but the failed request a case expects (a wrong passphrase's 403). */
  async function inPage<T>(run: (page: Page) => Promise<T>, expectedStatus?: number): Promise<T> {
    const context = await browser.newContext();
    const w = await watchedPage(context);
    try {
      const result = await run(w.page);
      const expected = `Failed to load resource: the server responded with a status of ${String(expectedStatus)}`;
      expect(w.errors.filter((e) => !e.startsWith(expected))).toEqual([]);
      expect(await w.violations()).toEqual([]);
      return result;
    } finally {
      await context.close();
    }
  }

  it.each(STORED)('reveal page: $name', async (c) => {
    const got = await inPage(async (page) => {
      await page.goto(formatSecretLink(s.url, c.id, hex(K)));
      return reveal(page, '#meta:not([hidden])', c.passphrase?.typed);
    }, isError(c.expect) && c.expect.code === 'wrong_passphrase' ? 403 : undefined);
    check(got, c.expect);
  });

  it.each(STATELESS)('stateless page: $name', async (c) => {
    const got = await inPage(async (page) => {
      await page.goto(`${s.url}/l#${c.fragment}`);
      return reveal(page, '#reveal-form:not([hidden])', c.passphrase);
    });
    check(got, c.expect, isError(c.expect) && c.expect.code === 'decryption_failed' && c.passphrase !== undefined ? STATELESS_WRONG : undefined);
  });

  it.each(RESPONSES)('request page: $name', async (c) => {
    const got = await inPage(async (page) => {
      // What the request page keeps in IndexedDB for a request it made (request-store.ts), with the
      // vector's key pair imported as this browser would hold it: non-extractable.
      await page.goto(`${s.url}/request`);
      await page.waitForSelector('#request-form');
      const link = formatRequestLink(s.url, c.id, hex(R.fingerprint));
      const entry = { id: c.id, server: s.url, token: b64uEncode(TOKEN), expiresAt: new Date(Date.now() + DAY).toISOString(), note: R.inputs.note, link };
      await page.evaluate(
        async ({ entry, jwk, publicKey }) => {
          const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
          const keys = { privateKey, publicKey: new Uint8Array(publicKey) };
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open('hush-requests', 1);
            open.onupgradeneeded = () => open.result.createObjectStore('requests', { keyPath: 'id' });
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(new Error('no IndexedDB'));
          });
          await new Promise((resolve, reject) => {
            const tx = db.transaction('requests', 'readwrite');
            tx.objectStore('requests').put({ ...entry, keys });
            tx.oncomplete = resolve;
            tx.onerror = () => reject(new Error('not stored'));
          });
          db.close();
        },
        { entry, jwk: c.jwk, publicKey: Array.from(hex(R.requester_public)) },
      );
      await page.reload();
      await page.waitForSelector('#answer:not([hidden]), #pending:not([hidden])');
      if (await page.isVisible('#answer')) return { message: await page.inputValue('#answer-text'), files: [] };
      // The request stays listed, with what went wrong: "“{note}” — {the sentence}. "
      const line = (await page.locator('#pending-list li span').textContent()) ?? '';
      const prefix = `“${R.inputs.note as string}” — `;
      expect(line.startsWith(prefix), line).toBe(true);
      return line.slice(prefix.length).replace(/\. $/, '');
    });
    check(got, c.expect);
  });

  it.each(SENDERS)('respond page: $name', async (c) => {
    const refusal = await inPage(async (page) => {
      await page.goto(formatRequestLink(s.url, c.id, b64uDecode(c.fingerprint)));
      await page.waitForSelector('#respond-form:not([hidden]), #gone:not([hidden])');
      if (await page.isVisible('#gone')) return (await page.textContent('#gone')) ?? '';
      expect(await page.textContent('#note')).toBe(R.inputs.note);
      await page.fill('#secret', 'answered through the page');
      await page.click('#send');
      await page.waitForSelector('#sent:not([hidden])');
      return null;
    });
    if (c.refuses === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(PAGE_SAYS[c.refuses]!);
    await expectAnswer(s, c, 'answered through the page');
  });
});
