// The crypto worker of the pages that open secrets (reveal, stateless): only the reader's
// operations, so these pages do not ship the sealing and proof-of-work code (page budget). All of
// the reader's crypto runs here — the cheap HKDF steps too — so the pages' own bundles carry none.
import { openSecret, readAuth, readerKeys } from '../protocol/secret.js';
import { openStatelessFragment } from '../protocol/stateless.js';
import { serve } from './serve-jobs.js';

serve({ readAuth, readerKeys, openSecret, openStateless: openStatelessFragment });
