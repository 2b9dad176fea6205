// The crypto worker: runs the protocol's slow steps off the page's main thread.
import { solvePow, PowError } from '../client/pow.js';
import { sealSecret, readerKeys } from '../protocol/secret.js';
import { sealStatelessLink, openStatelessFragment } from '../protocol/stateless.js';
import { b64uDecode, b64uEncode } from '../protocol/b64u.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Job, Reply, Results, WireError } from './crypto-messages.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<{ id: number; job: Job }>) => void): void;
  postMessage(message: Reply): void;
}
const scope = globalThis as unknown as WorkerScope;

async function run(job: Job): Promise<Results[Job['op']]> {
  switch (job.op) {
    case 'pow':
      return solvePow(job.challenge);
    case 'seal': {
      const sealed = await sealSecret({
        message: job.message,
        expiresAt: job.expiresAt,
        ...(job.passphrase === undefined ? {} : { passphrase: job.passphrase }),
      });
      return { key: b64uEncode(sealed.key), body: sealed.body };
    }
    case 'readerKeys':
      return readerKeys(b64uDecode(job.key), { passphrase: job.passphrase, params: job.params });
    case 'sealStateless':
      return sealStatelessLink(job.origin, {
        message: job.message,
        expiresAt: job.expiresAt,
        ...(job.passphrase === undefined ? {} : { passphrase: job.passphrase }),
      });
    case 'openStateless':
      return openStatelessFragment(job.fragment, { nowMs: job.nowMs, ...(job.passphrase === undefined ? {} : { passphrase: job.passphrase }) });
  }
}

function toWire(err: unknown): WireError {
  if (err instanceof ProtocolError) {
    return { name: 'ProtocolError', message: err.message, code: err.code, ...(err.expiredAt === undefined ? {} : { expiredAt: err.expiredAt }) };
  }
  if (err instanceof PowError) return { name: 'PowError', message: err.message };
  return { name: 'Error', message: 'The crypto worker failed.' };
}

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
