// The message loop shared by the crypto workers: one job in, one reply out, errors turned into
// what the page can rebuild (crypto.ts) and nothing else (no stack, no input echoed).
import { PowError } from '../client/pow.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Job, Reply, WireError } from './crypto-messages.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<{ id: number; job: Job }>) => void): void;
  postMessage(message: Reply): void;
}

function toWire(err: unknown): WireError {
  if (err instanceof ProtocolError) {
    return { name: 'ProtocolError', message: err.message, code: err.code, ...(err.expiredAt === undefined ? {} : { expiredAt: err.expiredAt }) };
  }
  if (err instanceof PowError) return { name: 'PowError', message: err.message };
  return { name: 'Error', message: 'The crypto worker failed.' };
}

/** Answers every job posted to this worker with `run`. */
export function serve(run: (job: Job) => Promise<unknown>): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.addEventListener('message', (event) => {
    const { id, job } = event.data;
    run(job).then(
      (value) => {
        scope.postMessage({ id, ok: true, value });
      },
      (err: unknown) => {
        scope.postMessage({ id, ok: false, error: toWire(err) });
      },
    );
  });
}
