// The CLI tests' shared frame: a real server on a real SQLite file for the whole file, the
// environment pointing the CLI at it, temporary directories removed afterwards, and the helpers
// every CLI test file uses. Call cliSession() once at the top of a test file.
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { hush, type CliResult } from './cli.js';
import { startServer, tempDir as makeTempDir, type TestServer } from './server.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
export const LINK = /^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}#([A-Za-z0-9_-]{43})$/;
export const MANAGE = /^manage: (http:\/\/127\.0\.0\.1:\d+\/m\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43})$/m;

/** The file's server (live binding: set before the first test runs). */
export let s: TestServer;
/** HUSH_SERVER pointing at it. */
export let env: Record<string, string>;
const dirs: string[] = [];

/** Starts the file's server before its tests and stops it (and removes temp dirs) after. */
export function cliSession(): void {
  beforeAll(async () => {
    s = await startServer();
    env = { HUSH_SERVER: s.url };
  });
  afterAll(async () => {
    await s.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** Removes `dir` after the file's tests (one a command made itself). */
export const removeLater = (dir: string): void => {
  dirs.push(dir);
};

/** A temporary directory removed after the file's tests. */
export const tempDir = (): string => {
  const dir = makeTempDir('hush-cli-');
  dirs.push(dir);
  return dir;
};

export interface Sent {
  link: string;
  manageLink: string;
  fragment: string;
}

/** `hush send` with the secret piped in; asserts success and the shape of the output. */
export async function send(secret: string, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<Sent> {
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
export async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The failure contract: exit code, one `hush: ` message, nothing on stdout. */
export function expectFailure(r: CliResult, code: number, message: RegExp | string): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^hush: /);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
}
