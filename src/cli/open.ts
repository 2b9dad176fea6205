// `hush open` (stored or stateless link) and `hush unseal` (stateless only): print the secret
// exactly as it was sent.
import { ClientError, isStatelessLink, openLink, unsealLink, type OpenedSecret } from '../client/flows.js';
import { parseCommand } from './args.js';
import { EXIT, usageError } from './errors.js';
import { canPrompt, out, promptHidden, readLink, readPassphrase, type Env } from './io.js';

const OPEN_OPTIONS = {
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function openAny(link: string, passphrase: string | undefined): Promise<OpenedSecret & { stateless: boolean }> {
  const options = passphrase === undefined ? {} : { passphrase };
  const stateless = isStatelessLink(link);
  const opened = stateless ? await unsealLink(link, options) : await openLink(link, options);
  return { ...opened, stateless };
}

/** Opens; asks for the passphrase on the terminal when one is needed and none was given. */
async function openAsking(link: string, passphrase: string | undefined): Promise<OpenedSecret & { stateless: boolean }> {
  try {
    return await openAny(link, passphrase);
  } catch (e) {
    if (!(e instanceof ClientError && e.code === 'passphrase_required' && passphrase === undefined && canPrompt())) throw e;
  }
  const asked = await promptHidden('Passphrase: ');
  if (asked === '') throw usageError('no passphrase given.');
  return openAny(link, asked);
}

async function show(opened: OpenedSecret & { stateless: boolean }, json: boolean): Promise<void> {
  const expiresAt = opened.sealedExpiresAt === undefined ? null : new Date(opened.sealedExpiresAt * 1000).toISOString();
  if (json) {
    await out(`${JSON.stringify({ message: opened.message, expiresAt, viewsLeft: opened.stateless ? null : opened.viewsLeft })}\n`);
    return;
  }
  await out(opened.message);
  // On a terminal, end the line on stderr so the prompt is not glued on; stdout stays exact.
  if (process.stdout.isTTY && process.stderr.isTTY && !opened.message.endsWith('\n')) process.stderr.write('\n');
}

async function run(command: 'open' | 'unseal', args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand(command, args, OPEN_OPTIONS, 1);
  const passphrase = await readPassphrase(values['passphrase-file'], env);
  const link = await readLink(positionals[0], 'link');
  if (command === 'unseal' && !isStatelessLink(link)) throw usageError('this is not a stateless link (…/l#…); use hush open for stored links.');
  await show(await openAsking(link, passphrase), values.json === true);
  return EXIT.ok;
}

export const open = (args: string[], env: Env): Promise<number> => run('open', args, env);
export const unseal = (args: string[], env: Env): Promise<number> => run('unseal', args, env);
