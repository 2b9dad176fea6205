// The crypto worker of the pages that make secrets (create, request): the protocol's slow steps
// — the proof-of-work, PBKDF2 for a passphrase, sealing up to 10 MiB — off the page's main thread.
// The pages that open secrets start worker-open instead.
import { solvePow } from '../client/pow.js';
import { sealSecret } from '../protocol/secret.js';
import { sealStatelessLink } from '../protocol/stateless.js';
import { b64uEncode } from '../protocol/b64u.js';
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
    case 'sealStateless':
      return sealStatelessLink(job.origin, {
        message: job.message,
        expiresAt: job.expiresAt,
        ...(job.passphrase === undefined ? {} : { passphrase: job.passphrase }),
      });
    default:
      throw new Error('not a job for this worker');
  }
}

serve(run);
