// `hush combine LINK…` (docs/protocol.md §15): rebuilds a split secret from k share links, then
// opens its vault and prints the secret as `hush open` does. Every share is peeked before any is
// consumed, so a combine that cannot succeed uses nothing up; once shares are used up, a failure
// says exactly which, and a failure after the key is rebuilt prints the vault's link, which still
// opens the secret: nothing is lost.
import { resolve } from 'node:path';
import { ApiError, ClientError } from '../client/errors.js';
import { openLink, recoverVault } from '../client/flows.js';
import type { OpenedLink } from '../client/open.js';
import type { RecoveredVault, UsedShare } from '../client/split.js';
import { MAX_SHARES } from '../protocol/split.js';
import { formatBytes } from '../shared/filenames.js';
import { parseCommand } from './args.js';
import { CliError, EXIT, explain, usageError } from './errors.js';
import { checkOutDir, newFilesDir, writeReceived, type WrittenFile } from './files.js';
import { canPrompt, err, out, printReceived, promptHidden, readLink, readPassphrase, warn, type Env } from './io.js';
import { jsonLine } from './terminal.js';

const COMBINE_OPTIONS = {
  'passphrase-file': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  raw: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The links as arguments (with a warning: each carries a share key), else one per line on stdin. */
async function readLinks(positionals: readonly string[]): Promise<string[]> {
  if (positionals.length > 0) {
    warn('warning: share links given as arguments are visible in shell history and to other users (ps); prefer stdin, one per line.');
    return [...positionals];
  }
  return (await readLink(undefined, 'share links')).split(/\s+/).filter((l) => l !== '');
}

const describeUsed = (used: readonly UsedShare[]): string =>
  used.map((u) => `link ${String(u.position)}${u.record === null ? '' : ` (share ${String(u.record.index)} of ${String(u.record.n)})`}`).join(', ');

/** Rebuilds the key; asks for the shares' passphrase on the terminal when needed (nothing is used up before). */
async function recover(links: string[], passphrase: string | undefined, used: UsedShare[]): Promise<RecoveredVault> {
  const onShareUsed = (u: UsedShare): void => {
    used.push(u);
  };
  try {
    try {
      return await recoverVault(links, { passphrase, onShareUsed });
    } catch (e) {
      if (!(e instanceof ClientError && e.code === 'passphrase_required' && passphrase === undefined && canPrompt())) throw e;
    }
    const asked = await promptHidden('Passphrase of the shares: ');
    if (asked === '') throw usageError('no passphrase given.');
    return await recoverVault(links, { passphrase: asked, onShareUsed });
  } catch (e) {
    if (used.length > 0) await err(`hush: used up while combining: ${describeUsed(used)}.\n`);
    throw e;
  }
}

/** Opens the vault; when that fails, says what the shares cost and, if the vault may still be there, its link. */
async function openVault(recovered: RecoveredVault): Promise<OpenedLink> {
  const shares = describeUsed(recovered.used);
  try {
    return await openLink(recovered.vaultLink);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'not_found') {
      throw new CliError(EXIT.notAvailable, `The shares (${shares}) were used up and gave the right key, but the secret itself is gone: already combined, revoked by its sender, or expired.`);
    }
    // Explained here, before the link, so the one line about the cause is not lost under it.
    await err(`hush: ${explain(e).message}\n`);
    await err(`hush: the shares (${shares}) were used up and rebuilt the key, but the secret could not be opened. It still opens once with this link (keep it as safe as the secret): hush open LINK\n`);
    await err(`${recovered.vaultLink}\n`);
    throw new CliError(explain(e).exitCode, 'combine did not finish; see above.');
  }
}

async function show(opened: OpenedLink, recovered: RecoveredVault, written: readonly WrittenFile[], options: { json: boolean; raw: boolean }): Promise<void> {
  const expiresAt = opened.sealedExpiresAt === undefined ? null : new Date(opened.sealedExpiresAt * 1000).toISOString();
  if (options.json) {
    const files = written.map((f) => ({ name: f.name, path: f.path, size: f.size }));
    const shares = recovered.used.map((u) => ({ link: u.position, index: u.record?.index ?? null }));
    await out(jsonLine({ message: opened.message, files, expiresAt, k: recovered.k, n: recovered.n, sharesUsed: shares }));
    return;
  }
  await err(`hush: combined ${describeUsed(recovered.used)}; the secret is now erased from the server.\n`);
  for (const f of written) await err(`hush: saved ${f.path} (${formatBytes(f.size)})\n`);
  await printReceived(opened.message, options.raw);
}

export async function combine(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand('combine', args, COMBINE_OPTIONS, 2 * MAX_SHARES);
  const passphrase = await readPassphrase(values['passphrase-file'], env);
  const links = await readLinks(positionals);
  // Checked before any share is used up: the files must have somewhere to go.
  const outDir = values.out === undefined ? undefined : resolve(values.out);
  if (outDir !== undefined) await checkOutDir(outDir);
  const recovered = await recover(links, passphrase, []);
  const opened = await openVault(recovered);
  let written: WrittenFile[] = [];
  if (opened.files.length > 0) written = await writeReceived(opened.files, outDir ?? (await newFilesDir(process.cwd())), values.force === true);
  await show(opened, recovered, written, { json: values.json === true, raw: values.raw === true });
  return EXIT.ok;
}
