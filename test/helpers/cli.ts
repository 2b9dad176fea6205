// Runs the real `bin/hush.js` (the built CLI in dist/) as a child process, writing its stdin
// through a pipe, with an environment that holds no HUSH_* variable unless the test gives one.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HUSH_BIN = fileURLToPath(new URL('../../bin/hush.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  /** stdout byte for byte. */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, then stdin is closed (closed at once when absent). */
  input?: string | Buffer;
  env?: Record<string, string>;
  bin?: string;
  /** Working directory (where `hush open` saves files by default). */
  cwd?: string;
}

export function spawnHush(args: string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [options.bin ?? HUSH_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

export function hush(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnHush(args, options);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  child.stdin!.on('error', () => undefined); // the command may exit before reading its stdin
  child.stdin!.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hush ${args[0] ?? ''} did not exit: ${Buffer.concat(err).toString()}`));
    }, 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
