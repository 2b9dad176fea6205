// Starts the built server (`node dist/server/main.js`, what `npm start` runs) as a real process.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout so far. */
  output: () => string;
}

export function startProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { PATH: process.env.PATH ?? '', HUSH_PORT: '0', HUSH_ADMIN_PORT: 'off', HUSH_RATE_LIMIT: 'off', HUSH_CHALLENGE: 'off', HUSH_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited, output: () => out });
    });
    void exited.then((code) => reject(new Error(`server exited (${String(code)}) before listening: ${out}`)));
    setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000).unref();
  });
}
