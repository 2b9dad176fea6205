// The message loop shared by the crypto workers: one job in, one reply out, errors turned into
// what the page can rebuild (crypto.ts) and nothing else (no stack, no input echoed). Each worker
// serves the part of the runner interface its pages use, so a page's worker ships only that code.
import { PowError, ProtocolError } from '../client/errors.js';
import type { CryptoRunner } from '../client/runner.js';
import type { Job, Reply, WireError } from './crypto-messages.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<{ id: number; job: Job }>) => void): void;
  postMessage(message: Reply): void;
}

function toWire(err: unknown): WireError {
  if (err instanceof ProtocolError) {
    return { name: 'ProtocolError', message: err.message, code: err.code, ...(err.expiredAt === undefined ? {} : { expiredAt: err.expiredAt }) };
  }
  if (err instanceof PowError) return { name: 'PowError', message: err.message, code: err.code };
  return { name: 'Error', message: 'The crypto worker failed.' };
}

/** Answers every job posted to this worker with the matching operation of `ops`. */
export function serve(ops: Partial<CryptoRunner>): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.addEventListener('message', (event) => {
    const { id, job } = event.data;
    // The job's arguments are those of its operation (crypto-messages.ts pairs them by type).
    const run = ops[job.op] as ((...args: Job['args']) => Promise<unknown>) | undefined;
    (async () => {
      if (run === undefined) throw new Error('not a job for this worker');
      return run(...job.args);
    })().then(
      (value) => {
        scope.postMessage({ id, ok: true, value });
      },
      (err: unknown) => {
        scope.postMessage({ id, ok: false, error: toWire(err) });
      },
    );
  });
}
