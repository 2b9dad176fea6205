// `hush status` and `hush revoke` (from the sender's manage link), and `hush token`.
import { createHash, randomBytes } from 'node:crypto';
import { revokeSecret, secretStatus } from '../client/flows.js';
import { parseCommand } from './args.js';
import { EXIT } from './errors.js';
import { formatStatus } from './format.js';
import { COMMAND_USAGE } from './help.js';
import { err, out, readLink } from './io.js';

const HELP_ONLY = { help: { type: 'boolean', short: 'h' } } as const;

export async function status(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('status', args, { ...HELP_ONLY, json: { type: 'boolean' } }, 1);
  if (values.help === true) {
    await out(COMMAND_USAGE.status!);
    return EXIT.ok;
  }
  const s = await secretStatus(await readLink(positionals[0], 'manage link'));
  await out(values.json === true ? `${JSON.stringify(s)}\n` : formatStatus(s));
  return EXIT.ok;
}

export async function revoke(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('revoke', args, HELP_ONLY, 1);
  if (values.help === true) {
    await out(COMMAND_USAGE.revoke!);
    return EXIT.ok;
  }
  await revokeSecret(await readLink(positionals[0], 'manage link'));
  await out('revoked: the secret is erased and its link no longer opens\n');
  return EXIT.ok;
}

/** The hash form the server's HUSH_API_TOKENS expects: sha256 of the token's UTF-8 text, hex. */
export const tokenHash = (token: string): string => `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;

export async function token(args: string[]): Promise<number> {
  const { values } = parseCommand('token', args, HELP_ONLY, 0);
  if (values.help === true) {
    await out(COMMAND_USAGE.token!);
    return EXIT.ok;
  }
  const t = randomBytes(32).toString('base64url');
  await out(`${t}\n`);
  await err(
    `# Server setting (comma-separate several tokens; only this hash is stored):\nHUSH_API_TOKENS=${tokenHash(t)}\n# Client: HUSH_API_TOKEN=<the token printed on stdout>\n`,
  );
  return EXIT.ok;
}
