// The evidence layer end to end (docs/protocol.md §9, §10), on a real server process over each of
// the three stores: what each kind of client leaves in a secret's history (the CLI, a link
// preview's HEAD and unfurler, a headless browser, a person's browser), the history through
// `hush status` and after the secret is gone, a signed receipt checked by an independent
// node:crypto Ed25519 verification and by `hush receipt verify`, and HUSH_AUDIT=off keeping
// nothing. The scans: no user agent in the server's output.
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hush } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { tempDir } from './helpers/server.js';
import { forEveryStore } from './helpers/every-store.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');


const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const SLACK = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const NAVIGATION = { accept: 'text/html,application/xhtml+xml', 'accept-language': 'en-GB,en;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' };

interface Sent {
  link: string;
  manage: string;
  id: string;
  token: string;
}

async function send(server: ServerProcess, message: string, args: string[] = [], env: Record<string, string> = {}): Promise<Sent> {
  const r = await hush(['send', '--server', server.url, ...args], { input: message, env });
  expect(r.code, r.stderr).toBe(0);
  const link = r.stdout.trim();
  const manage = /^manage: (\S+)$/m.exec(r.stderr)![1]!;
  const m = /\/m\/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{43})$/.exec(manage)!;
  return { link, manage, id: m[1]!, token: m[2]! };
}

interface Status {
  state: string;
  events?: { type: string; at: string; client: string | null }[];
  endedAt?: string | null;
}

async function status(server: ServerProcess, s: Sent): Promise<{ code: number; body: Status }> {
  const r = await fetch(`${server.url}/api/v1/secrets/${s.id}/status`, { headers: { authorization: `Bearer ${s.token}` } });
  return { code: r.status, body: (await r.json()) as Status };
}

const trail = (st: Status): string[] => (st.events ?? []).map((e) => `${e.type}:${String(e.client)}`);

/** The history once it has `n` events: page views are recorded after their answer went out. */
async function settled(server: ServerProcess, s: Sent, n: number): Promise<Status> {
  for (let i = 0; i < 50; i++) {
    const { body } = await status(server, s);
    if ((body.events ?? []).length >= n) return body;
    await new Promise((r) => setTimeout(r, 40));
  }
  return (await status(server, s)).body;
}

function everyStore(name: string, env: () => Record<string, string>): void {
  describe(`evidence on ${name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startProcess({ HUSH_PASSPHRASE_ATTEMPTS: '2', ...env() });
    });
    afterAll(async () => {
      server.child.kill('SIGTERM');
      await server.exited;
    });

    it('the CLI, a link preview, a headless browser and a person each leave their class; hush status tells them apart', async () => {
      const s = await send(server, 'evidence of a read');
      const page = `${server.url}/s/${s.id}`;
      // One at a time: a page view is recorded just after its answer, so two in flight may land in either order.
      expect((await fetch(page, { method: 'HEAD' })).status).toBe(200);
      await settled(server, s, 2);
      expect((await fetch(page, { headers: { 'user-agent': SLACK } })).status).toBe(200);
      await settled(server, s, 3);
      expect((await fetch(page, { headers: { 'user-agent': HEADLESS, ...NAVIGATION } })).status).toBe(200);
      const before = await settled(server, s, 4);
      expect(trail(before)).toEqual(['created:cli', 'opened:link-preview', 'opened:link-preview', 'opened:scanner']);
      expect(before.state).toBe('pending');
      expect(before.endedAt).toBeNull();
      const shown = await hush(['status', s.manage]);
      expect(shown.stdout).toMatch(/note: +the link was opened 3 time\(s\) by link previews or scanners, but not read by them/);
      expect(shown.stdout).toMatch(/opened by a link preview \(chat or mail unfurler\)/);

      // The person's browser navigating to the page (node:http: fetch would put its own Sec-Fetch-Mode).
      expect((await http(page, { headers: { 'user-agent': CHROME, ...NAVIGATION } })).status).toBe(200);
      await settled(server, s, 5);
      // hush open peeks (opened), then reads.
      expect((await hush(['open', s.link])).stdout).toBe('evidence of a read');
      const after = await settled(server, s, 7);
      expect(trail(after)).toEqual(['created:cli', 'opened:link-preview', 'opened:link-preview', 'opened:scanner', 'opened:browser', 'opened:cli', 'read:cli']);
      expect(after.state).toBe('consumed');
      expect(Date.parse(after.endedAt!)).toBeGreaterThan(Date.parse(after.events![0]!.at) - 1);
      // Once read, the page is still served but adds nothing.
      await fetch(page, { headers: { 'user-agent': SLACK } });
      await new Promise((r) => setTimeout(r, 200));
      expect(trail((await status(server, s)).body)).toHaveLength(7);
      const shownAfter = await hush(['status', s.manage]);
      expect(shownAfter.stdout).toMatch(/read with the hush CLI/);
      expect(shownAfter.stdout).not.toMatch(/^note:/m);
    });

    it('wrong passphrases, the burn and a revoke are recorded; wrong tokens leave nothing', async () => {
      const burned = await send(server, 'locked', [], { HUSH_PASSPHRASE: 'right horse battery' });
      for (let i = 0; i < 2; i++) {
        const r = await hush(['open', burned.link], { env: { HUSH_PASSPHRASE: 'wrong' } });
        expect(r.code).toBe(1);
      }
      expect(trail((await status(server, burned)).body)).toEqual(['created:cli', 'opened:cli', 'passphrase_failed:cli', 'opened:cli', 'passphrase_failed:cli', 'burned:cli']);
      const revoked = await send(server, 'to revoke');
      const wrong = await fetch(`${server.url}/api/v1/secrets/${revoked.id}/consume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: 'A'.repeat(43) }) });
      expect(wrong.status).toBe(404);
      expect((await hush(['revoke', revoked.manage])).code).toBe(0);
      const st = (await status(server, revoked)).body;
      expect(trail(st)).toEqual(['created:cli', 'revoked:cli']);
      expect(st.state).toBe('revoked');
    });

    it('a receipt verifies with node:crypto against the well-known key and with hush receipt verify; one changed byte fails both', async () => {
      const s = await send(server, 'receipted');
      await hush(['open', s.link]);
      const res = await fetch(`${server.url}/api/v1/secrets/${s.id}/receipt`, { headers: { authorization: `Bearer ${s.token}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      const file = JSON.parse(text) as { receipt: string; signature: string; kid: string };
      const keys = (await (await fetch(`${server.url}/.well-known/hush-receipts.json`)).json()) as { keys: { kid: string; publicKey: string; status: string }[] };
      const key = keys.keys.find((k) => k.kid === file.kid)!;
      expect(key.status).toBe('current');
      // An Ed25519 public key as SPKI DER: the fixed 12-byte prefix, then the 32 raw bytes (RFC 8410).
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key.publicKey, 'base64url')]);
      const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const signature = Buffer.from(file.signature, 'base64url');
      expect(verify(null, Buffer.from(file.receipt, 'utf8'), publicKey, signature)).toBe(true);
      const payload = JSON.parse(file.receipt) as { secret: { idHash: string; state: string }; events: { type: string; client: string | null }[] };
      expect(payload.secret.state).toBe('consumed');
      expect(payload.events.map((e) => `${e.type}:${String(e.client)}`)).toEqual(['created:cli', 'opened:cli', 'read:cli']);
      expect(file.receipt).not.toContain(s.id);
      for (const at of [10, Math.floor(file.receipt.length / 2), file.receipt.length - 3]) {
        const changed = file.receipt.slice(0, at) + String.fromCharCode(file.receipt.charCodeAt(at) ^ 1) + file.receipt.slice(at + 1);
        expect(verify(null, Buffer.from(changed, 'utf8'), publicKey, signature)).toBe(false);
      }
      const dir = tempDir();
      const good = join(dir, 'receipt.json');
      writeFileSync(good, text);
      const ok = await hush(['receipt', 'verify', good, '--server', server.url]);
      expect(ok.code, ok.stderr).toBe(0);
      // The CLI fetches the same receipt from the manage link; verify reads it from stdin.
      const got = await hush(['receipt', 'get', s.manage]);
      expect(got.code, got.stderr).toBe(0);
      const fetched = JSON.parse(got.stdout) as typeof file;
      expect(fetched.kid).toBe(file.kid); // a new receipt (issued now) of the same history
      const piped = await hush(['receipt', 'verify', '-', '--server', server.url], { input: got.stdout });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).toMatch(/read/);
      const bad = join(dir, 'changed.json');
      writeFileSync(bad, text.replace('consumed', 'consumeD')); // one byte of the signed payload
      expect((await hush(['receipt', 'verify', bad, '--server', server.url])).code).toBe(1);
    });

    it('the server output holds no user agent and no id', async () => {
      const s = await send(server, 'scanned');
      await fetch(`${server.url}/s/${s.id}`, { headers: { 'user-agent': SLACK } });
      await fetch(`${server.url}/s/${s.id}`, { headers: { 'user-agent': HEADLESS, ...NAVIGATION } });
      await settled(server, s, 3);
      await new Promise((r) => setTimeout(r, 400)); // the log is written in blocks, at least every 250 ms
      const out = server.output();
      for (const needle of ['Slackbot', 'HeadlessChrome', 'hush-cli/', s.id, s.token]) expect(out).not.toContain(needle);
    });
  });
}

await forEveryStore('evidence', everyStore);

describe('HUSH_AUDIT=off', () => {
  it('keeps nothing: no history in the status, no receipt, no key document, empty evidence tables', async () => {
    const dir = tempDir();
    const server = await startProcess({ HUSH_STORE: `sqlite:${join(dir, 'hush.db')}`, HUSH_AUDIT: 'off' });
    try {
      const s = await send(server, 'forget me');
      await fetch(`${server.url}/s/${s.id}`, { headers: { 'user-agent': SLACK } });
      await hush(['open', s.link]);
      const st = await status(server, s);
      expect(st.code).toBe(200);
      expect(Object.keys(st.body).sort()).toEqual(['consumedAt', 'expiresAt', 'state', 'viewsLeft']);
      expect((await fetch(`${server.url}/api/v1/secrets/${s.id}/receipt`, { headers: { authorization: `Bearer ${s.token}` } })).status).toBe(404);
      expect((await fetch(`${server.url}/.well-known/hush-receipts.json`)).status).toBe(404);
      expect(existsSync(join(dir, 'receipt.key'))).toBe(false);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const file = new Database(join(dir, 'hush.db'), { readonly: true });
    try {
      // Only the stand-in record that a missing id is compared against (ref of 32 zero bytes).
      expect(file.prepare('SELECT count(*) AS n FROM evidence WHERE ref <> zeroblob(32)').get()).toEqual({ n: 0 });
      expect(file.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    } finally {
      file.close();
    }
  });
});
