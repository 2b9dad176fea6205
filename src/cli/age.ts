// The age side of `hush send --to/--to-file` and `hush open --identity/--export-age`
// (docs/protocol.md §14): recipients and identity files read as age reads them, and the age file
// of a link written out for `age -d`. The age format itself is the client's, on age-encryption.
import { readFile, stat } from 'node:fs/promises';
import { ageFileLines } from '../client/age.js';
import { checkAgeIdentities, checkAgeRecipients, exportAgeFile, sendSecret, sendSecretToAge } from '../client/flows.js';
import { CliError, usageError } from './errors.js';

/** Recipient and identity files are small; age reads at most 16 MiB, we need far less. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;
/** age's own bound on a recipients file's line (as sshd's). */
const MAX_LINE = 8 * 1024;

async function readKeyFile(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    if ((await stat(path)).size > MAX_KEY_FILE_BYTES) throw usageError(`the ${what} ${JSON.stringify(path)} is larger than ${String(MAX_KEY_FILE_BYTES)} bytes.`);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usageError(`cannot read the ${what} ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw usageError(`the ${what} ${JSON.stringify(path)} is not text.`);
  }
}

/** The entries of a file (ageFileLines: as age reads both kinds), each named by where it stood. */
function entries(text: string, path: string): { value: string; where: string }[] {
  return ageFileLines(text).map(({ line, value }) => {
    if (value.length > MAX_LINE) throw usageError(`${JSON.stringify(path)}: line ${String(line)} is too long.`);
    return { value, where: `${JSON.stringify(path)} line ${String(line)}` };
  });
}

/**
 * The age recipients of `--to` (each as given) and `--to-file` (one per line, as `age -R` reads
 * them), checked with the age library; undefined when neither was given. A recipient's text is
 * never echoed in a message, only where it stood.
 */
export async function readAgeRecipients(to: readonly string[] | undefined, files: readonly string[] | undefined): Promise<string[] | undefined> {
  if ((to ?? []).length === 0 && (files ?? []).length === 0) return undefined;
  const all = (to ?? []).map((value, i) => ({ value, where: `--to #${String(i + 1)}` }));
  for (const path of files ?? []) {
    const found = entries(await readKeyFile(path, 'recipients file'), path);
    if (found.length === 0) throw usageError(`${JSON.stringify(path)}: no recipients found.`);
    all.push(...found);
  }
  return checkAgeRecipients(all);
}

/** The identities of each `--identity FILE` (AGE-SECRET-KEY-1… lines, as age-keygen writes them), checked with the age library. */
export async function readAgeIdentities(files: readonly string[] | undefined): Promise<string[]> {
  const all: { value: string; where: string }[] = [];
  for (const path of files ?? []) {
    const found = entries(await readKeyFile(path, 'identity file'), path);
    if (found.length === 0) throw usageError(`${JSON.stringify(path)}: no secret keys found.`);
    all.push(...found);
  }
  return checkAgeIdentities(all);
}

/**
 * `hush open --export-age`: the age file a link carries, as binary on stdout, for
 * `age -d -i key.txt`, which prints the 32-byte link key. Never onto a terminal. No request is made.
 */
export async function writeAgeFile(link: string): Promise<void> {
  const file = exportAgeFile(link);
  if (process.stdout.isTTY) throw usageError('--export-age writes a binary age file: redirect it, e.g. hush open --export-age LINK > key.age.');
  await new Promise<void>((resolve) => process.stdout.write(file, () => resolve()));
}

/** sendSecret, or, with age recipients, the same secret with its link key wrapped to them. */
export const sendFor = (to: readonly string[] | undefined): typeof sendSecret =>
  to === undefined ? sendSecret : (options, info) => sendSecretToAge({ ...options, to }, info);
