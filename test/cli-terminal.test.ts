// Text from elsewhere on a terminal (finding 3): what a secret, a note or a server says may hold
// escape sequences, C1 controls and bidi overrides. On a real terminal (a pseudo-terminal made by
// util-linux `script`) the CLI shows them visibly and says so; --raw and pipes get the exact bytes.
// Whatever a server says besides the secret (version, views left, links, error messages, a note)
// is cleaned wherever it is printed, also into a pipe; --json stays exact through \u escapes.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealLink } from '../src/client/flows.js';
import { b64uEncode } from '../src/protocol/b64u.js';
import { formatRequestLink } from '../src/protocol/links.js';
import { generateRequesterKeys, requestFingerprint } from '../src/protocol/request.js';
import { jsonLine, oneLine, visible } from '../src/cli/terminal.js';
import { HUSH_BIN, hush } from './helpers/cli.js';
import { startServer, tempDir as makeTempDir, type TestServer } from './helpers/server.js';

const ESC = '\u001b';
/** A title change, a screen clear, an OSC 52 clipboard write, an OSC 8 hyperlink, an 8-bit CSI, DEL, bidi overrides, a lone CR. */
const HOSTILE =
  `title${ESC}]0;pwned\u0007 clear${ESC}[2J clip${ESC}]52;c;ZXZpbA==\u0007 ` +
  `link${ESC}]8;;http://evil.example${ESC}\\here${ESC}]8;;${ESC}\\ csi\u009b31m del\u007f ` +
  `bidi\u202eabc\u2066x\u2069 cr\rover\n\tline two\r\nend\n`;
/** Written out by hand from HOSTILE: what a terminal must show. */
const HOSTILE_SHOWN =
  'title\\x1b]0;pwned\\x07 clear\\x1b[2J clip\\x1b]52;c;ZXZpbA==\\x07 ' +
  'link\\x1b]8;;http://evil.example\\x1b\\here\\x1b]8;;\\x1b\\ csi\\u009b31m del\\x7f ' +
  'bidi\\u202eabc\\u2066x\\u2069 cr\\x0dover\n\tline two\r\nend\n';
/** ESC ×7, BEL ×2, U+009B, DEL, U+202E, U+2066, U+2069, the lone CR. */
const HOSTILE_COUNT = 15;
const NOTE = `hush: the text contained ${String(HOSTILE_COUNT)} control characters, shown visibly (e.g. ESC as \\x1b); use --raw for the exact bytes.\n`;
/** Anything a terminal would act on but LF, tab and CR (a CR LF is kept; a lone CR is checked apart). */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = makeTempDir('hush-tty-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const quote = (a: string): string => `'${a.replaceAll("'", "'\\''")}'`;

interface TtyResult {
  code: number | null;
  /** stdout and stderr as the terminal got them, with the terminal's CR before each LF taken out again. */
  output: string;
}

/**
 * Runs `hush ARGS` on a pseudo-terminal: stdout and stderr are the terminal (isTTY), stdin is
 * `stdinFile` when given (so a link can come from it), else the terminal too.
 */
function onTerminal(args: string[], options: { env?: Record<string, string>; stdinFile?: string } = {}): Promise<TtyResult> {
  const command = [process.execPath, HUSH_BIN, ...args].map(quote).join(' ') + (options.stdinFile === undefined ? '' : ` < ${quote(options.stdinFile)}`);
  // -q: no "Script started" lines; -e: its exit code is the command's; /dev/null: no typescript file.
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hush ${args.join(' ')} on a terminal did not exit`));
    }, 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The terminal turns every LF into CR LF (onlcr); a CR LF the text held comes out as CR CR LF.
      resolve({ code, output: Buffer.concat(out).toString('utf8').replaceAll('\r\n', '\n') });
    });
  });
}

describe('the cleaning functions (src/cli/terminal.ts)', () => {
  it('visible: every control and bidi character written out and counted; newline, tab and CR LF kept', () => {
    expect(visible(HOSTILE)).toEqual({ text: HOSTILE_SHOWN, count: HOSTILE_COUNT });
    expect(visible('plain ünïcødé 🔐 密码\n\tindented\r\n')).toEqual({ text: 'plain ünïcødé 🔐 密码\n\tindented\r\n', count: 0 });
    expect(visible('\u0000\u001f\u007f\u0080\u009f\u202a\u202d\u2067')).toEqual({ text: '\\x00\\x1f\\x7f\\u0080\\u009f\\u202a\\u202d\\u2067', count: 8 });
    // Right-to-left text keeps its marks: they reorder nothing around them.
    expect(visible('שלום\u200f abc\u200e').count).toBe(0);
    expect(visible('\r').text).toBe('\\x0d');
    expect(ACTIVE.test(visible(HOSTILE).text)).toBe(false);
  });

  it('oneLine: line breaks and tabs become one space, the rest is written out, ends trimmed', () => {
    expect(oneLine(' 1.0\r\n\tbeta\u001b[2J\u009b\u202e ')).toBe('1.0 beta\\x1b[2J\\u009b\\u202e');
    expect(oneLine('The server refused (x):   no\n\nway')).toBe('The server refused (x): no way');
    expect(ACTIVE.test(oneLine(HOSTILE))).toBe(false);
  });

  it('jsonLine: one line of JSON with DEL, C1, bidi and line separators as \\u escapes, which parses back to the same value', () => {
    const value = { message: HOSTILE, other: '\u2028\u2029', n: 1, nothing: null };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(ACTIVE.test(line)).toBe(false);
    expect(line).not.toMatch(/[\u2028\u2029]/);
    expect(line).toContain('\\u009b31m');
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe('received text on a real terminal', () => {
  let s: TestServer;
  beforeAll(async () => {
    expect(spawnSync('script', ['--version']).status, 'util-linux script is needed for these tests').toBe(0);
    s = await startServer();
  });
  afterAll(() => s.close());

  /** A stored secret holding HOSTILE that opens `views` times; its link in a file (for stdin). */
  async function hostileSecret(views: number): Promise<{ link: string; linkFile: string }> {
    const sent = await hush(['send', '--views', String(views)], { input: HOSTILE, env: { HUSH_SERVER: s.url } });
    expect(sent.code, sent.stderr).toBe(0);
    const link = sent.stdout.trim();
    const linkFile = join(tempDir(), 'link');
    writeFileSync(linkFile, `${link}\n`);
    return { link, linkFile };
  }

  it('hush open shows control characters visibly and says so on stderr; --raw and a pipe get the exact bytes', async () => {
    const { link, linkFile } = await hostileSecret(3);
    const shown = await onTerminal(['open'], { stdinFile: linkFile });
    expect(shown.code, shown.output).toBe(0);
    expect(shown.output).toBe(HOSTILE_SHOWN + NOTE);

    const raw = await onTerminal(['open', '--raw'], { stdinFile: linkFile });
    expect(raw.code, raw.output).toBe(0);
    expect(raw.output).toBe(HOSTILE);

    const piped = await hush(['open'], { input: link });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdoutBytes.equals(Buffer.from(HOSTILE, 'utf8'))).toBe(true);
    expect(piped.stderr).toBe('');
  });

  it('hush open --json on a terminal: the message exact once parsed, nothing a terminal acts on', async () => {
    const { linkFile } = await hostileSecret(1);
    const r = await onTerminal(['open', '--json'], { stdinFile: linkFile });
    expect(r.code, r.output).toBe(0);
    expect(ACTIVE.test(r.output)).toBe(false);
    expect((JSON.parse(r.output) as { message: string }).message).toBe(HOSTILE);
  });

  it('a text without control characters is printed as it is, with no note', async () => {
    const sent = await hush(['send'], { input: 'plain ünïcødé\n\tsecret\r\n', env: { HUSH_SERVER: s.url } });
    const linkFile = join(tempDir(), 'link');
    writeFileSync(linkFile, sent.stdout);
    const r = await onTerminal(['open'], { stdinFile: linkFile });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toBe('plain ünïcødé\n\tsecret\r\n');
  });

  it('hush unseal shows control characters visibly', async () => {
    const linkFile = join(tempDir(), 'link');
    writeFileSync(linkFile, await sealLink({ origin: 'http://127.0.0.1:9', message: HOSTILE, ttl: 3600 }));
    const r = await onTerminal(['unseal'], { stdinFile: linkFile });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toBe(HOSTILE_SHOWN + NOTE);
  });

  it('hush request wait shows control characters visibly', async () => {
    const keyDir = tempDir();
    const made = await hush(['request', '--key-dir', keyDir, '--ttl', '1h'], { env: { HUSH_SERVER: s.url } });
    expect(made.code, made.stderr).toBe(0);
    const link = made.stdout.trim();
    const id = /\/r\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
    const answered = await hush(['respond', link], { input: HOSTILE });
    expect(answered.code, answered.stderr).toBe(0);
    const r = await onTerminal(['request', 'wait', id, '--key-dir', keyDir, '--every', '1s']);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toBe(HOSTILE_SHOWN + NOTE);
  });
});

type Route = (req: IncomingMessage, body: string) => { status: number; json: unknown } | undefined;

/** A server that says what each test makes it say: a hostile or broken Hush server. */
describe('what a hostile server says is cleaned wherever it is printed', () => {
  let fake: Server;
  let url: string;
  let route: Route = () => undefined;
  const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
  const TOKEN = `${'B'.repeat(42)}A`; // 32 bytes in canonical base64url
  const INFO = {
    version: '0.1.0',
    publicUrl: null,
    limits: { maxSize: 1024 * 1024, ttlMin: 60, ttlMax: 86_400, ttlDefault: 3600, maxViews: 10 },
    policy: { create: 'open', requirePassphrase: false, passphraseAttempts: 5 },
    challenge: { kind: 'off' },
  };
  beforeAll(async () => {
    fake = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const answer = route(req, body) ?? { status: 404, json: { error: { code: 'not_found', message: 'nothing here' } } };
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((fake.address() as AddressInfo).port)}`;
  });
  afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

  const expectInactive = (text: string): void => {
    expect(ACTIVE.test(text), JSON.stringify(text)).toBe(false);
  };

  it('hush verify: the version the server reports, in the message and in --json', async () => {
    const version = `9.9.9${ESC}]0;pwned\u0007\u009b2J\u202e`;
    route = (req) => (req.url === '/api/v1/info' ? { status: 200, json: { ...INFO, version } } : undefined);
    const r = await hush(['verify', url]);
    expect(r.code).toBe(1);
    expectInactive(r.stderr);
    expect(r.stderr).toContain('runs hush 9.9.9\\x1b]0;pwned\\x07\\u009b2J\\u202e, but');
    const json = await hush(['verify', '--json', url]);
    expectInactive(json.stdout);
    expect((JSON.parse(json.stdout) as { serverVersion: string }).serverVersion).toBe(version);
  });

  it('hush status: the state and views left, as lines and as --json', async () => {
    const status = { state: `gone${ESC}[2J`, viewsLeft: `1${ESC}]52;c;ZXZpbA==\u0007\u009b`, expiresAt: '2030-01-01T00:00:00Z' };
    route = (req) => (req.url === `/api/v1/secrets/${ID}/status` ? { status: 200, json: status } : undefined);
    const link = `${url}/m/${ID}#${TOKEN}`;
    const r = await hush(['status'], { input: link });
    expect(r.code, r.stderr).toBe(0);
    expectInactive(r.stdout);
    expect(r.stdout).toBe('state:      gone\\x1b[2J\nviews left: 1\\x1b]52;c;ZXZpbA==\\x07\\u009b\nexpires:    2030-01-01 00:00:00 UTC\n');
    const json = await hush(['status', '--json'], { input: link });
    expectInactive(json.stdout);
    expect(JSON.parse(json.stdout)).toEqual(status);
  });

  it('an error message from the server: shown on one line, its controls and bidi overrides written out', async () => {
    route = () => ({ status: 400, json: { error: { code: 'bad_request', message: `no${ESC}[2J\nway \u009b31m\u202eevil` } } });
    const r = await hush(['status'], { input: `${url}/m/${ID}#${TOKEN}` });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('hush: The server refused (bad_request): no\\x1b[2J way \\u009b31m\\u202eevil\n');
  });

  it('hush send and hush request: the links built from the server\'s public URL, id and token', async () => {
    const publicUrl = `https://hush.example${ESC}]0;t\u0007\u202e`;
    route = (req) => {
      if (req.url === '/api/v1/info') return { status: 200, json: { ...INFO, publicUrl } };
      if (req.url === '/api/v1/secrets') return { status: 201, json: { id: `${ID}\u009b`, manageToken: `${TOKEN}${ESC}[2J`, expiresAt: '2030-01-01T00:00:00Z', views: 1 } };
      if (req.url === '/api/v1/requests') return { status: 201, json: { id: ID, token: TOKEN, expiresAt: '2030-01-01T00:00:00Z' } };
      return undefined;
    };
    const sent = await hush(['send'], { input: 'x', env: { HUSH_SERVER: url } });
    expect(sent.code, sent.stderr).toBe(0);
    expectInactive(sent.stdout + sent.stderr);
    expect(sent.stdout).toMatch(/^https:\/\/hush\.example\\x1b\]0;t\\x07\\u202e\/s\/A{22}\\u009b#[A-Za-z0-9_-]{43}\n$/);
    expect(sent.stderr).toContain(`/m/${ID}\\u009b#${TOKEN}\\x1b[2J`);
    const json = await hush(['send', '--json'], { input: 'x', env: { HUSH_SERVER: url } });
    expectInactive(json.stdout);
    expect((JSON.parse(json.stdout) as { manageLink: string }).manageLink).toBe(`${publicUrl}/m/${ID}\u009b#${TOKEN}${ESC}[2J`);

    const made = await hush(['request', '--key-dir', tempDir()], { env: { HUSH_SERVER: url } });
    expect(made.code, made.stderr).toBe(0);
    expectInactive(made.stdout + made.stderr);
    expect(made.stdout).toMatch(/^https:\/\/hush\.example\\x1b\]0;t\\x07\\u202e\/r\/A{22}#/);
  });

  it('hush respond: the requester\'s note, which the link\'s fingerprint vouches for but does not clean', async () => {
    const note = `send it${ESC}]0;pwned\u0007\nto me\u202e\u009b2J`;
    const keys = await generateRequesterKeys({ extractable: false });
    route = (req) =>
      req.url === `/api/v1/requests/${ID}` ? { status: 200, json: { publicKey: b64uEncode(keys.publicKey), note, expiresAt: '2030-01-01T00:00:00Z', state: 'open' } } : undefined;
    const link = formatRequestLink(url, ID, await requestFingerprint(keys.publicKey, note));
    // The note is shown before the secret is read; this server then fails the /info step.
    const r = await hush(['respond', link], { input: 'the answer' });
    expectInactive(r.stderr);
    expect(r.stderr).toContain('(not encrypted; the server can read it):\nsend it\\x1b]0;pwned\\x07\nto me\\u202e\\u009b2J\n');
  });
});
