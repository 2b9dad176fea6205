// `hush send --split K-of-N` (docs/protocol.md §15): the content sealed once in a vault, its key
// split into N share secrets; the share links go to stdout, one labelled line each, and every
// manage link to stderr, as `hush send` does with its one.
import type { ServerInfo } from '../client/api.js';
import { sendSplit } from '../client/flows.js';
import type { SendOptions } from '../client/send.js';
import { MAX_SHARES, MIN_SHARES } from '../protocol/split.js';
import { usageError } from './errors.js';
import { err, out } from './io.js';
import { jsonLine, oneLine } from './terminal.js';

/** `--split K-of-N`, 2 ≤ K ≤ N ≤ 10. */
export function parseSplit(raw: string): { k: number; n: number } {
  const m = /^([0-9]{1,2})-of-([0-9]{1,2})$/.exec(raw.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || k < MIN_SHARES || n > MAX_SHARES || k > n) {
    throw usageError(`--split expects K-of-N with ${String(MIN_SHARES)} ≤ K ≤ N ≤ ${String(MAX_SHARES)}, e.g. 2-of-3: any K of the N share links open the secret.`);
  }
  return { k, n };
}

/**
 * What makes no sense with --split, refused before anything is read or sent: a key wrapped to age
 * keys (the shares replace the link key) and named recipients (one code per share would be mailed).
 */
export function checkSplitOptions(values: { to?: string[] | undefined; 'to-file'?: string[] | undefined; recipient?: string[] | undefined }): void {
  if ((values.to ?? []).length > 0 || (values['to-file'] ?? []).length > 0) {
    throw usageError('--split and --to cannot be combined: a split secret has no single link key to wrap to age keys.');
  }
  if ((values.recipient ?? []).length > 0) throw usageError('--split and --recipient cannot be combined: restrict nobody, and give each share to its holder.');
}

/** Sends the split secret and prints its links. */
export async function sendSplitCommand(options: SendOptions, split: { k: number; n: number }, info: ServerInfo, json: boolean): Promise<void> {
  const sent = await sendSplit({ ...options, ...split }, info);
  if (json) {
    await out(jsonLine({ k: sent.k, n: sent.n, vault: sent.vault, shares: sent.shares }));
    return;
  }
  // Each link is printed on one line (out() keeps a server's controls from the terminal).
  for (const s of sent.shares) await out(`share ${String(s.index)} of ${String(sent.n)}: ${oneLine(s.link)}\n`);
  await err(`hush: any ${String(sent.k)} of these ${String(sent.n)} share links open the secret (hush combine LINK…); give each holder one.\n`);
  await err(`manage (the secret itself): ${oneLine(sent.vault.manageLink)}\n`);
  for (const s of sent.shares) await err(`manage (share ${String(s.index)} of ${String(sent.n)}): ${oneLine(s.manageLink)}\n`);
}
