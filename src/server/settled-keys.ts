// The server's keys, settled before anything serves (serve.ts for one process, cluster.ts for a
// primary and its workers): a key not set in the environment is kept in a file beside a SQLite
// database (made once: pow.key, session.key for sign-in, receipt.key for receipts, recipient.key
// for verified recipients), else made once in memory — for all of a primary's workers, so that
// they never make different keys.
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { verifiesRecipients, type Config } from './config.js';
import { keyFromFile, withKeptKeys } from './keys.js';
import { parseReceiptKey } from './receipts.js';

/**
 * `given` with each key it leaves empty filled in, once, before anything serves; `kept` names the
 * files used, for the start-up log.
 */
export function settleKeys(given: Config): { config: Config; kept: string[] } {
  const { config, kept } = withKeptKeys(given); // pow.key, and session.key for sign-in
  const filled: { powKey?: string; receiptKey?: string; recipientKey?: string } = {};
  if (config.store.kind === 'sqlite' && config.store.path !== ':memory:') {
    // Made here rather than by ReceiptSigner and Recipients (each worker's would find the files made),
    // so that the start-up log names every key file, whatever the number of processes.
    const dir = dirname(config.store.path);
    const keep = (name: string): string => {
      const k = keyFromFile(dir, name);
      kept.push(`${k.path}${k.created ? ' (made now)' : ''}`);
      if (name === 'receipt') {
        try {
          parseReceiptKey(k.key);
        } catch (e) {
          throw new Error(`${k.path}: ${(e as Error).message} (remove it to have a new key made, or set HUSH_RECEIPT_KEY)`);
        }
      }
      return k.key;
    };
    if (config.audit && config.receiptKey === '') filled.receiptKey = keep('receipt');
    if (verifiesRecipients(config) && config.recipientKey === '') filled.recipientKey = keep('recipient');
  } else {
    // One for the process, and so for all of a primary's workers: a challenge issued by one
    // verifies on another, and receipts carry one key id.
    if (config.powKey === '') filled.powKey = randomBytes(32).toString('base64url');
    if (config.audit && config.receiptKey === '') filled.receiptKey = randomBytes(32).toString('base64url');
  }
  return { config: Object.freeze({ ...config, ...filled }), kept };
}
