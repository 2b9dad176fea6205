// The crypto worker of the create page: the proof-of-work, PBKDF2 for a passphrase and sealing up
// to 10 MiB, off the page's main thread. The pages that open secrets start worker-open, the
// request pages worker-request: each page's worker carries only the operations it runs.
import { solvePow } from '../client/pow.js';
import { sealSecret } from '../protocol/secret.js';
import { sealStatelessLink } from '../protocol/stateless.js';
import { serve } from './serve-jobs.js';

serve({ solvePow, seal: sealSecret, sealStateless: sealStatelessLink });
