// The crypto worker of the pages that open secrets (reveal, stateless): only the reader's slow
// step, PBKDF2, so these pages do not ship the sealing and proof-of-work code (page budget).
import { readerKeys } from '../protocol/secret.js';
import { openStatelessFragment } from '../protocol/stateless.js';
import { b64uDecode } from '../protocol/b64u.js';
import type { Job } from './crypto-messages.js';
import { serve } from './worker-host.js';

async function run(job: Job): Promise<unknown> {
  switch (job.op) {
    case 'readerKeys':
      return readerKeys(b64uDecode(job.key), { passphrase: job.passphrase, params: job.params });
    case 'openStateless':
      return openStatelessFragment(job.fragment, { nowMs: job.nowMs, ...(job.passphrase === undefined ? {} : { passphrase: job.passphrase }) });
    default:
      throw new Error('not a job for this worker');
  }
}

serve(run);
