// The crypto worker of the pages that make secrets (create, request): the protocol's slow steps
// — PBKDF2, the proof-of-work, sealing up to 10 MiB — off the page's main thread.
import { solvePow } from '../client/pow.js';
import { sealSecret, readerKeys } from '../protocol/secret.js';
import { sealStatelessLink, openStatelessFragment } from '../protocol/stateless.js';
import { b64uDecode, b64uEncode } from '../protocol/b64u.js';
import type { Job } from './crypto-messages.js';
import { serve } from './worker-host.js';

async function run(job: Job): Promise<unknown> {
  switch (job.op) {
    case 'pow':
      return solvePow(job.challenge);
    case 'seal': {
      const sealed = await sealSecret({
        message: job.message,
        files: job.files,
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

serve(run);
