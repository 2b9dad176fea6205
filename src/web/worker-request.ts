// The crypto worker of the request pages (/request and /r/{id}, docs/protocol.md §7): the
// requester's key pair, the proof-of-work a request's create needs, the sender's check of the key
// against the link and the answer sealed to it, and opening that answer — off the main thread and
// out of the pages' own bundles.
import { solvePow } from '../client/pow.js';
import { checkRequestKey, generateRequesterKeys, openResponse, sealResponse } from '../protocol/request.js';
import { serve } from './serve-jobs.js';

serve({ solvePow, generateRequesterKeys, checkRequestKey, sealResponse, openResponse });
