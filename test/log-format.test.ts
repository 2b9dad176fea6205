// HUSH_LOG_FORMAT: the built server (`node dist/server/main.js`, what `npm start` runs, and
// `hush serve`) writes pino-pretty's human-readable lines on a real terminal (a pseudo-terminal
// made by util-linux `script`) and JSON lines into a pipe, unless told otherwise. Pretty lines
// come from the same serialized lines as JSON ones, so they hold no id, token, key or body either;
// and text a terminal would act on is written out in them.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { PrettyLogSink } from '../src/server/log-sink.js';
import { bearer, makeSecret, post, req, type Made } from './helpers/api.js';
import { HUSH_BIN } from './helpers/cli.js';
import { startProcess } from './helpers/process.js';
import { tempDir as makeTempDir } from './helpers/server.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = makeTempDir('hush-logfmt-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const quote = (a: string): string => `'${a.replaceAll("'", "'\\''")}'`;
/** The text without colour codes (ESC [ … m). */
// eslint-disable-next-line no-control-regex -- the colour codes are what is taken out
const uncoloured = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

interface OnTerminal {
  url: string;
  /** Everything the terminal showed so far, its CR LF line ends turned back into LF. */
  output: () => string;
  /** Resolves once the output matches `pattern` (within 10 s). */
  waitFor: (pattern: RegExp) => Promise<void>;
  stop: () => Promise<void>;
}

/** Runs `argv` with stdout and stderr on a pseudo-terminal; resolves once the server listens. */
function onTerminal(argv: string[], env: Record<string, string>): Promise<OnTerminal> {
  const dir = tempDir();
  // -q: no "Script started" lines; -f: output at once; -e: its exit code is the command's.
  const child = spawn('script', ['-qfec', argv.map(quote).join(' '), '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', HUSH_STORE: `sqlite:${join(dir, 'hush.db')}`, HUSH_PORT: '0', HUSH_ADMIN_PORT: 'off', HUSH_CHALLENGE: 'off', HUSH_RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  let out = '';
  const output = (): string => out.replaceAll('\r\n', '\n');
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(uncoloured(output()))) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${String(pattern)} on the terminal: ${output()}`));
      }, 10_000);
      waiters.add(check);
      check();
    });
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM'); // script passes it on to the server, then exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  };
  return waitFor(LISTENING).then(
    () => ({ url: LISTENING.exec(uncoloured(output()))![1]!, output, waitFor, stop }),
    async (e: unknown) => {
      await stop();
      throw e;
    },
  );
}

const SERVER = [process.execPath, 'dist/server/main.js'];

/** The non-empty lines of `text`. */
const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** Whether the line is one JSON object (as pino writes). */
function isJsonLine(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Creates, peeks, consumes and queries a secret, and returns every value the log must not hold. */
async function secretTraffic(url: string): Promise<{ made: Made; values: string[] }> {
  const made = await makeSecret(url, { message: 'log-format-plain-text', views: 2 });
  expect((await post(`${url}/api/v1/secrets/${made.id}/peek`, { auth: made.auth })).status).toBe(200);
  expect((await post(`${url}/api/v1/secrets/${made.id}/consume`, { auth: made.auth })).status).toBe(200);
  expect((await req(`${url}/api/v1/secrets/${made.id}/status`, { headers: bearer(made.manageToken) })).status).toBe(200);
  expect((await req(`${url}/s/${made.id}`)).status).toBe(200);
  return { made, values: [made.id, made.auth, made.keyB64u, made.verifier, made.ciphertext, made.manageToken, made.message] };
}

beforeAll(() => {
  expect(spawnSync('script', ['--version']).status, 'util-linux script is needed for these tests').toBe(0);
});

describe('HUSH_LOG_FORMAT', () => {
  it('is auto by default and takes only auto, json or pretty', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ HUSH_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({}, { 'log-format': 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ HUSH_LOG_FORMAT: 'xml' })).toThrow(/HUSH_LOG_FORMAT: must be one of auto, json, pretty/);
  });

  it('on a terminal: human-readable lines with level names, at once; access lines without id, token, key or body', async () => {
    const t = await onTerminal(SERVER, {});
    try {
      const { values } = await secretTraffic(t.url);
      await t.waitFor(/request GET \/s\/:id 200/);
      const raw = t.output();
      const shown = uncoloured(raw);
      // Coloured (TERM is set), and not JSON: no line of it parses as an object.
      expect(raw).toContain('\u001b[');
      expect(lines(shown).filter(isJsonLine)).toEqual([]);
      expect(shown).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+$/m);
      // One line per request: method, route pattern, status, duration, client address.
      for (const [method, route, status] of [['POST', '/api/v1/secrets', 201], ['POST', '/api/v1/secrets/:id/peek', 200], ['POST', '/api/v1/secrets/:id/consume', 200], ['GET', '/api/v1/secrets/:id/status', 200], ['GET', '/s/:id', 200]] as const) {
        expect(shown).toMatch(new RegExp(`^\\[[^\\]]+\\] INFO: request ${method} ${route.replaceAll('/', '\\/')} ${String(status)} [0-9.]+ ms 127\\.0\\.0\\.1$`, 'm'));
      }
      for (const v of values) expect(shown.includes(v), `log holds ${v.slice(0, 12)}…`).toBe(false);
      expect(shown).not.toMatch(/authorization|bearer/i);
      expect(shown).not.toMatch(/"(pid|hostname)"|pid:|hostname:/);
    } finally {
      await t.stop();
    }
  });

  it('HUSH_LOG_FORMAT=json on a terminal, and hush serve --log-format json: JSON lines', async () => {
    for (const [argv, env] of [[SERVER, { HUSH_LOG_FORMAT: 'json' }], [[process.execPath, HUSH_BIN, 'serve', '--log-format', 'json'], {}]] as const) {
      const t = await onTerminal([...argv], env);
      try {
        const { values } = await secretTraffic(t.url);
        await t.waitFor(/"route":"\/s\/:id"/);
        const all = lines(t.output());
        expect(all.length).toBeGreaterThan(5);
        for (const line of all) expect(isJsonLine(line), line).toBe(true);
        expect(all.some((l) => (JSON.parse(l) as { msg?: string }).msg?.startsWith('Server listening at'))).toBe(true);
        for (const v of values) expect(t.output().includes(v)).toBe(false);
      } finally {
        await t.stop();
      }
    }
  });

  it('into a pipe: JSON lines by default, pino-pretty lines (uncoloured) with HUSH_LOG_FORMAT=pretty', async () => {
    const json = await startProcess({ HUSH_STORE: `sqlite:${join(tempDir(), 'hush.db')}` });
    try {
      const { values } = await secretTraffic(json.url);
      const deadline = Date.now() + 10_000; // JSON lines are written in blocks, at least every 250 ms
      while (!json.output().includes('"route":"/s/:id"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const all = lines(json.output());
      expect(all.filter((l) => l.includes('"msg":"request"')).length).toBe(5);
      for (const line of all) expect(isJsonLine(line), line).toBe(true);
      for (const v of values) expect(json.output().includes(v)).toBe(false);
    } finally {
      json.child.kill('SIGTERM');
      await json.exited;
    }
    const pretty = await startProcess({ HUSH_STORE: `sqlite:${join(tempDir(), 'hush.db')}`, HUSH_LOG_FORMAT: 'pretty', TERM: 'xterm-256color' });
    try {
      await secretTraffic(pretty.url);
      const deadline = Date.now() + 10_000;
      while (!pretty.output().includes('request GET /s/:id 200') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pretty.output()).toMatch(/INFO: request GET \/s\/:id 200/);
      expect(lines(pretty.output()).filter(isJsonLine)).toEqual([]);
      expect(pretty.output()).not.toContain('\u001b'); // no colours into a pipe
    } finally {
      pretty.child.kill('SIGTERM');
      await pretty.exited;
    }
  });

  it('pretty lines write out what a terminal would act on (escape sequences, C1 controls, bidi overrides)', async () => {
    const path = join(tempDir(), 'log');
    const fd = openSync(path, 'w');
    const sink = await PrettyLogSink.open({ fd, colorize: true });
    const hostile = 'title\u001b]0;pwned\u0007 clear\u001b[2J csi\u009b31m bidi\u202eabc cr\rover';
    sink.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: hostile, detail: hostile })}\n`);
    sink.close();
    closeSync(fd);
    const text = readFileSync(path, 'utf8');
    // Only pino-pretty's own colour codes (ESC [ … m) are left.
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    expect(uncoloured(text)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('title\\x1b]0;pwned\\x07 clear\\x1b[2J csi\\u009b31m bidi\\u202eabc cr\\x0dover');
    expect(uncoloured(text)).toMatch(/^\[[^\]]+\] ERROR: title/);
  });
});
