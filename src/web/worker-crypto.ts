// The crypto worker of the pages that make secrets and requests (create, request, respond): the
// proof-of-work, PBKDF2 for a passphrase, sealing up to 10 MiB, and the request key pairs and
// answers, off the page's main thread. The pages that open secrets start worker-open instead.
import { solvePow } from '../client/pow.js';
import { checkRequestKey, generateRequesterKeys, openResponse, sealResponse } from '../protocol/request.js';
import { sealSecret } from '../protocol/secret.js';
import { sealStatelessLink } from '../protocol/stateless.js';
import { serve } from './worker-host.js';

serve({
  solvePow,
  seal: sealSecret,
  sealStateless: sealStatelessLink,
  generateRequesterKeys,
  checkRequestKey,
  sealResponse,
  openResponse,
});
