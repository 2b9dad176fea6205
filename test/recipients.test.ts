// Verified recipients end to end (docs/protocol.md §12), with real parts: a real SMTP server
// (smtp-server, on loopback) receives the codes a real Hush server process sends through
// nodemailer, and the test reads each code from the received mail. The CLI sends with
// --recipient and opens with --email, the code piped in after the mail arrived. Also: an unlisted
// address gets the same answer and no mail, five wrong codes burn, the database keeps no address,
// and a server without mail refuses to store a restriction it cannot enforce.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hush, spawnHush } from './helpers/cli.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { deriveReadAuth } from './helpers/read-auth.js';
import { tempDir } from './helpers/server.js';
import { codeIn, startMailServer, type MailServer } from './helpers/smtp.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');

interface Sent {
  link: string;
  manage: string;
  id: string;
  auth: string;
}

describe('verified recipients', () => {
  let smtp: MailServer;
  let server: ServerProcess;
  const dir = tempDir();
  const db = join(dir, 'hush.db');

  beforeAll(async () => {
    smtp = await startMailServer();
    server = await startProcess({ HUSH_STORE: `sqlite:${db}`, HUSH_SMTP_URL: smtp.url, HUSH_MAIL_FROM: 'Hush <hush@hush.test>' });
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await smtp.close();
  });

  /** Sends with the CLI; the read token (auth) is taken from the API the way a client derives it. */
  async function send(message: string, recipients: string[]): Promise<Sent> {
    const r = await hush(['send', '--server', server.url, ...recipients.flatMap((x) => ['--recipient', x])], { input: message });
    expect(r.code, r.stderr).toBe(0);
    const link = r.stdout.trim();
    const manage = /^manage: (\S+)$/m.exec(r.stderr)![1]!;
    const id = /\/s\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
    return { link, manage, id, auth: await deriveReadAuth(link) };
  }

  const api = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('only a listed address gets a code, and the same answer is given either way; the CLI opens with it', async () => {
    const s = await send('for alice and corp only', ['alice@example.com', '@corp.example']);
    const peek = (await (await api(`/api/v1/secrets/${s.id}/peek`, { auth: s.auth })).json()) as { restricted?: boolean };
    expect(peek.restricted).toBe(true);
    // Without a code nothing is released, however often.
    for (let i = 0; i < 3; i++) {
      const r = await api(`/api/v1/secrets/${s.id}/consume`, { auth: s.auth });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('code_required');
    }
    // An unlisted address: 202, the same body, no mail.
    const before = smtp.mails.length;
    const unlisted = await api(`/api/v1/secrets/${s.id}/code`, { auth: s.auth, email: 'mallory@evil.example' });
    const listedAnswer = await api(`/api/v1/secrets/${s.id}/code`, { auth: s.auth, email: 'Alice@Example.com ' });
    expect([unlisted.status, listedAnswer.status]).toEqual([202, 202]);
    expect(await unlisted.text()).toBe(await listedAnswer.text());
    const mail = await smtp.mailTo('alice@example.com', before);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.slice(before).flatMap((m) => m.to.map((t) => t.toLowerCase()))).toEqual(['alice@example.com']);
    expect(mail.text).toContain('Your code:');
    expect(mail.text).not.toContain(s.id);

    // The CLI: asks for a code at an address of the listed domain, reads it from stdin once the mail came.
    const mark = smtp.mails.length;
    const child = spawnHush(['open', '--email', 'bob@corp.example', s.link]);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const bobMail = await smtp.mailTo('bob@corp.example', mark);
    child.stdin!.end(`${codeIn(bobMail)}\n`);
    expect(await exited, stderr).toBe(0);
    expect(stdout).toBe('for alice and corp only');
    expect(stderr).toMatch(/a code is on its way/);
    // Read once: the earlier code to alice no longer opens anything.
    const again = await api(`/api/v1/secrets/${s.id}/consume`, { auth: s.auth, code: codeIn(mail) });
    expect(again.status).toBe(404);
    const shown = await hush(['status', s.manage]);
    expect(shown.stdout).toMatch(/opens for: +only the people you named/);
  });

  it('the answer to a listed address does not wait for the mail: the mail server may be slow or down', async () => {
    const s = await send('not waiting for mail', ['erin@example.com']);
    let release = (): void => undefined;
    smtp.hold = new Promise((r) => (release = r));
    try {
      const before = smtp.mails.length;
      // The mail server takes nothing until the answer is here; a route awaiting the send never answers.
      const answer = await api(`/api/v1/secrets/${s.id}/code`, { auth: s.auth, email: 'erin@example.com' });
      expect(answer.status).toBe(202);
      expect(smtp.mails.length).toBe(before);
      release();
      await smtp.mailTo('erin@example.com', before);
    } finally {
      release();
      smtp.hold = null;
    }
  });

  it('five wrong codes burn the secret; a used or expired code counts as wrong', async () => {
    const s = await send('burn me', ['carol@example.com']);
    const before = smtp.mails.length;
    await api(`/api/v1/secrets/${s.id}/code`, { auth: s.auth, email: 'carol@example.com' });
    const right = codeIn(await smtp.mailTo('carol@example.com', before));
    const wrong = right === '000000' ? '111111' : '000000';
    const left: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(`/api/v1/secrets/${s.id}/consume`, { auth: s.auth, code: wrong });
      expect(r.status).toBe(403);
      left.push(((await r.json()) as { error: { attemptsLeft: number } }).error.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    const last = await api(`/api/v1/secrets/${s.id}/consume`, { auth: s.auth, code: wrong });
    expect(last.status).toBe(404);
    expect(((await last.json()) as { error: { message: string } }).error.message).toMatch(/destroyed/);
    // Even the right code opens nothing now.
    expect((await api(`/api/v1/secrets/${s.id}/consume`, { auth: s.auth, code: right })).status).toBe(404);
    const status = await hush(['status', '--json', s.manage]);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'burned', restricted: true });
  });

  it('the database keeps no recipient address, in any form the sender typed it', async () => {
    await send('at rest', ['dave.at.rest@example.org', '@rest.example']);
    await new Promise((r) => setTimeout(r, 200));
    const bytes = Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
    for (const needle of ['dave.at.rest', 'rest.example', 'example.org', 'alice@example.com', 'corp.example']) {
      expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
      expect(bytes.includes(Buffer.from(needle, 'utf16le')), needle).toBe(false);
    }
  });

  it('a server without mail refuses a restriction and stores nothing; the CLI says so before encrypting', async () => {
    const plain = await startProcess({ HUSH_STORE: `sqlite:${join(tempDir(), 'plain.db')}` });
    try {
      const info = (await (await fetch(`${plain.url}/api/v1/info`)).json()) as { recipients: boolean };
      expect(info.recipients).toBe(false);
      const r = await hush(['send', '--server', plain.url, '--recipient', 'alice@example.com'], { input: 'x' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot restrict a secret to named recipients/);
      const raw = await fetch(`${plain.url}/api/v1/secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ciphertext: Buffer.alloc(64).toString('base64url'), verifier: Buffer.alloc(32).toString('base64url'), recipients: ['alice@example.com'] }),
      });
      expect(raw.status).toBe(400);
      expect(((await raw.json()) as { error: { message: string } }).error.message).toMatch(/cannot verify recipients.*Nothing was stored/);
    } finally {
      plain.child.kill('SIGTERM');
      await plain.exited;
    }
  });

  it('refuses what is not an address or a domain, before anything is stored', async () => {
    const r = await hush(['send', '--server', server.url, '--recipient', 'not an address'], { input: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not an e-mail address or an @domain/);
  });
});
