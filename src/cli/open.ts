// `hush open` (stored or stateless link) and `hush unseal` (stateless only): print the secret
// exactly as it was sent (control characters shown visibly on a terminal, see terminal.ts), and
// write its files to --out, or to a new private directory.
import { resolve } from 'node:path';
import { ClientError } from '../client/errors.js';
import { isStatelessLink, openLink } from '../client/flows.js';
import type { OpenedLink } from '../client/open.js';
import { formatBytes } from '../shared/filenames.js';
import { parseCommand } from './args.js';
import { EXIT, usageError } from './errors.js';
import { checkOutDir, newFilesDir, writeReceived, type WrittenFile } from './files.js';
import { canPrompt, err, out, printReceived, promptHidden, readLink, readPassphrase, type Env } from './io.js';
import { jsonLine } from './terminal.js';

const OPEN_OPTIONS = {
  'passphrase-file': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  raw: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Opens; asks for the passphrase on the terminal when one is needed and none was given. */
async function openAsking(link: string, passphrase: string | undefined): Promise<OpenedLink> {
  try {
    return await openLink(link, passphrase === undefined ? {} : { passphrase });
  } catch (e) {
    if (!(e instanceof ClientError && e.code === 'passphrase_required' && passphrase === undefined && canPrompt())) throw e;
  }
  const asked = await promptHidden('Passphrase: ');
  if (asked === '') throw usageError('no passphrase given.');
  return openLink(link, { passphrase: asked });
}

async function show(opened: OpenedLink, written: readonly WrittenFile[], options: { json: boolean; raw: boolean }): Promise<void> {
  const expiresAt = opened.sealedExpiresAt === undefined ? null : new Date(opened.sealedExpiresAt * 1000).toISOString();
  if (options.json) {
    const files = written.map((f) => ({ name: f.name, path: f.path, size: f.size }));
    // viewsLeft is the server's word: jsonLine keeps whatever it sent from driving the terminal.
    await out(jsonLine({ message: opened.message, files, expiresAt, viewsLeft: opened.viewsLeft }));
    return;
  }
  for (const f of written) await err(`hush: saved ${f.path} (${formatBytes(f.size)})\n`);
  await printReceived(opened.message, options.raw);
}

async function run(command: 'open' | 'unseal', args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand(command, args, OPEN_OPTIONS, 1);
  const passphrase = await readPassphrase(values['passphrase-file'], env);
  const link = await readLink(positionals[0], 'link');
  if (command === 'unseal' && !isStatelessLink(link)) throw usageError('this is not a stateless link (…/l#…); use hush open for stored links.');
  // Checked before the secret is used up: its files must have somewhere to go.
  const outDir = values.out === undefined ? undefined : resolve(values.out);
  if (outDir !== undefined) await checkOutDir(outDir);
  const opened = await openAsking(link, passphrase);
  let written: WrittenFile[] = [];
  if (opened.files.length > 0) {
    // Without --out, never the working directory itself: a sender's names must not land next to
    // (or, with a name like .bashrc or .git, into the workings of) what is already there.
    const dir = outDir ?? (await newFilesDir(process.cwd()));
    written = await writeReceived(opened.files, dir, values.force === true);
  }
  await show(opened, written, { json: values.json === true, raw: values.raw === true });
  return EXIT.ok;
}

export const open = (args: string[], env: Env): Promise<number> => run('open', args, env);
export const unseal = (args: string[], env: Env): Promise<number> => run('unseal', args, env);
