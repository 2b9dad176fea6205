// `hush open` (stored or stateless link) and `hush unseal` (stateless only): print the secret
// exactly as it was sent (control characters shown visibly on a terminal, see terminal.ts), and
// write its files to --out, or to a new private directory.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ApiError, ClientError } from '../client/errors.js';
import { consumeStored, isStatelessLink, openLink, peekStored, requestCode, storedSecretRef } from '../client/flows.js';
import type { OpenedLink, StoredSecretRef } from '../client/open.js';
import { normalizeAddress } from '../protocol/recipients.js';
import { formatBytes } from '../shared/filenames.js';
import { readAgeIdentities, writeAgeFile } from './age.js';
import { parseCommand } from './args.js';
import { EXIT, usageError } from './errors.js';
import { checkOutDir, newFilesDir, writeReceived, type WrittenFile } from './files.js';
import { canPrompt, err, out, printReceived, promptHidden, readLink, readPassphrase, type Env } from './io.js';
import { jsonLine } from './terminal.js';

const OPEN_OPTIONS = {
  'passphrase-file': { type: 'string' },
  email: { type: 'string' },
  identity: { type: 'string', multiple: true },
  'export-age': { type: 'boolean' },
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

/** The first line of stdin, as it arrives (a code typed or piped in after the mail came). */
function firstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let done = false;
    lines.once('line', (line) => {
      done = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!done) reject(usageError('no code given on stdin.'));
    });
  });
}

/** A line typed on the terminal, shown as typed (an address). */
function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

/**
 * A secret only named recipients can open (docs/protocol.md §12): ask for a code at the reader's
 * address, then read the code from the terminal, or from stdin when the link came as an argument.
 */
async function codeFor(ref: StoredSecretRef, email: string | undefined, linkFromStdin: boolean): Promise<string> {
  const interactive = canPrompt();
  let address = email;
  if (address === undefined) {
    if (!interactive) throw usageError('only the people the sender named can open this secret: give your address with --email ADDRESS.');
    address = await promptLine('Only named people can open this secret. Your e-mail address: ');
  }
  if (normalizeAddress(address) === null) throw usageError('--email is not an e-mail address.');
  const { expiresIn } = await requestCode(ref, address);
  await err(`hush: if ${address} may open this secret, a code is on its way to it (good for ${String(Math.round(expiresIn / 60))} minutes). Nothing is used up until you give it.\n`);
  if (!interactive && linkFromStdin) throw usageError('the code is read from stdin, which held the link: give the link as an argument.');
  const code = (interactive ? await promptHidden('Code from the e-mail: ') : await firstLine()).replace(/\s+/g, '');
  if (!/^[0-9]{6}$/.test(code)) throw usageError('the code is the six digits from the e-mail.');
  return code;
}

/**
 * A stored link: the key from the link, or unwrapped with the age identities before any request
 * (docs/protocol.md §14); peek, a code first when the secret is restricted, then consume (asking
 * for a passphrase if needed).
 */
async function openStored(link: string, passphrase: string | undefined, email: string | undefined, linkFromStdin: boolean, identities: readonly string[]): Promise<OpenedLink> {
  const ref = await storedSecretRef(link, identities);
  const peek = await peekStored(ref);
  const code = peek.restricted === true ? await codeFor(ref, email, linkFromStdin) : undefined;
  let pass = passphrase;
  if (peek.passphrase !== null && pass === undefined && canPrompt()) {
    pass = await promptHidden('Passphrase: ');
    if (pass === '') throw usageError('no passphrase given.');
  }
  try {
    return await consumeStored(ref, peek, { passphrase: pass, code });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'wrong_code') throw new ApiError(e.status, e.code, `${e.message} Ask for a new code: hush open again.`, { attemptsLeft: e.attemptsLeft });
    throw e;
  }
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
  if ((values.identity !== undefined || values['export-age'] === true) && isStatelessLink(link)) {
    throw usageError('--identity and --export-age are for links sent with hush send --to, not for stateless links.');
  }
  if (values['export-age'] === true) {
    await writeAgeFile(link); // no request: the age file is in the link
    return EXIT.ok;
  }
  const identities = await readAgeIdentities(values.identity);
  // Checked before the secret is used up: its files must have somewhere to go.
  const outDir = values.out === undefined ? undefined : resolve(values.out);
  if (outDir !== undefined) await checkOutDir(outDir);
  const opened = isStatelessLink(link) ? await openAsking(link, passphrase) : await openStored(link, passphrase, values.email, positionals[0] === undefined, identities);
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
