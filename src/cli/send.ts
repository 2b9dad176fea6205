// `hush send` (a stored one-time secret) and `hush seal` (a stateless link, no request made).
import { HushApi, type ServerInfo } from '../client/api.js';
import { sealLink } from '../client/flows.js';
import { readAgeRecipients, sendFor } from './age.js';
import { formatDuration } from '../shared/duration.js';
import { checkFileCount, readAttachments } from './files.js';
import { parseCommand, parseExpiresAt, parseServer, parseTtl, parseViews } from './args.js';
import { EXIT, usageError } from './errors.js';
import { err, out, readPassphrase, readSecret, warn, type Env } from './io.js';
import { apiTokenFor } from './credentials.js';
import { jsonLine, oneLine } from './terminal.js';
import { checkSplitOptions, parseSplit, sendSplitCommand } from './split.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const SEAL_DEFAULT_TTL = 86_400;

/** `--server`, else HUSH_SERVER, else the default. */
export function serverFrom(flag: string | undefined, env: Env): string {
  if (flag !== undefined) return parseServer(flag, '--server');
  const fromEnv = env.HUSH_SERVER;
  return fromEnv === undefined || fromEnv === '' ? DEFAULT_SERVER : parseServer(fromEnv, 'HUSH_SERVER');
}

/**
 * Refuses, before any work, what this server would refuse: clearer than its 400. (The size is
 * checked by sendSecret, before it encrypts.)
 */
function checkAgainstServer(info: ServerInfo, ttl: number | undefined, views: number | undefined, hasPassphrase: boolean): void {
  const { limits } = info;
  if (ttl !== undefined && (ttl < limits.ttlMin || ttl > limits.ttlMax)) {
    throw usageError(`--ttl ${formatDuration(ttl)} is outside what this server allows (${formatDuration(limits.ttlMin)} to ${formatDuration(limits.ttlMax)}).`);
  }
  if (views !== undefined && views > limits.maxViews) throw usageError(`--views ${String(views)} is more than this server allows (${String(limits.maxViews)}).`);
  if (info.policy.requirePassphrase && !hasPassphrase) {
    throw usageError('this server requires a passphrase on every secret: set HUSH_PASSPHRASE or use --passphrase-file PATH.');
  }
}

/** `seal` and `respond` send text only; say so instead of "unknown option". */
export function noAttachments(file: string | undefined, what: string): void {
  if (file === undefined) return;
  throw usageError(`${what} carries text only: attach files to a one-time secret (hush send --file PATH); to read the text from a file, use --message-file PATH.`);
}

const SEND_OPTIONS = {
  ttl: { type: 'string' },
  views: { type: 'string' },
  file: { type: 'string', multiple: true },
  'message-file': { type: 'string' },
  'passphrase-file': { type: 'string' },
  recipient: { type: 'string', multiple: true },
  to: { type: 'string', multiple: true },
  'to-file': { type: 'string', multiple: true },
  split: { type: 'string' },
  token: { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function send(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand('send', args, SEND_OPTIONS, 1);
  const ttl = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  const views = values.views === undefined ? undefined : parseViews(values.views);
  const server = serverFrom(values.server, env);
  // A split secret (docs/protocol.md §15): refused with what makes no sense before anything is read.
  const split = values.split === undefined ? undefined : parseSplit(values.split);
  if (split !== undefined) checkSplitOptions(values);
  const paths = values.file ?? [];
  checkFileCount(paths.length);
  if (values.token !== undefined) warn('warning: a token given as an argument is visible to other users (ps); prefer HUSH_API_TOKEN.');
  const apiToken = await apiTokenFor(values.token, env, server);
  const passphrase = await readPassphrase(values['passphrase-file'], env);
  // Age recipients (docs/protocol.md §14), checked before anything is read, encrypted or sent.
  const ageTo = await readAgeRecipients(values.to, values['to-file']);
  const message = await readSecret({ file: values['message-file'], argument: positionals[0], optional: paths.length > 0 });
  const info = await new HushApi(server).info();
  checkAgainstServer(info, ttl, views, passphrase !== undefined);
  const files = await readAttachments(paths, Buffer.byteLength(message), info.limits.maxSize);
  if (split !== undefined) {
    const options = { server, message, files, ...(ttl === undefined ? {} : { ttl }), ...(views === undefined ? {} : { views }), ...(passphrase === undefined ? {} : { passphrase }), ...(apiToken === undefined ? {} : { apiToken }) };
    await sendSplitCommand(options, split, info, values.json === true);
    return EXIT.ok;
  }
  const sent = await sendFor(ageTo)(
    {
      server,
      message,
      files,
      ...(ttl === undefined ? {} : { ttl }),
      ...(views === undefined ? {} : { views }),
      ...(passphrase === undefined ? {} : { passphrase }),
      ...(apiToken === undefined ? {} : { apiToken }),
      ...(values.recipient === undefined ? {} : { recipients: values.recipient }),
    },
    info,
  );
  // The links carry the server's public URL, id and token: whatever they hold, each is printed on
  // one line (out() and err() keep their controls from the terminal; jsonLine keeps --json exact).
  if (values.json === true) {
    await out(jsonLine({ link: sent.link, manageLink: sent.manageLink, id: sent.id, expiresAt: sent.expiresAt, views: sent.views }));
  } else {
    await out(`${oneLine(sent.link)}\n`);
    await err(`manage: ${oneLine(sent.manageLink)}\n`);
  }
  return EXIT.ok;
}

const SEAL_OPTIONS = {
  ttl: { type: 'string' },
  'expires-at': { type: 'string' },
  file: { type: 'string' },
  'message-file': { type: 'string' },
  'passphrase-file': { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function seal(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand('seal', args, SEAL_OPTIONS, 1);
  noAttachments(values.file, 'a stateless link');
  if (values.ttl !== undefined && values['expires-at'] !== undefined) throw usageError('give --ttl or --expires-at, not both.');
  const nowMs = Date.now();
  const expiresAt =
    values['expires-at'] === undefined
      ? Math.floor(nowMs / 1000) + (values.ttl === undefined ? SEAL_DEFAULT_TTL : parseTtl(values.ttl))
      : parseExpiresAt(values['expires-at'], nowMs);
  const origin = serverFrom(values.server, env);
  const passphrase = await readPassphrase(values['passphrase-file'], env);
  const message = await readSecret({ file: values['message-file'], argument: positionals[0] });
  const link = await sealLink({ origin, message, expiresAt, now: () => nowMs, ...(passphrase === undefined ? {} : { passphrase }) });
  await out(values.json === true ? `${JSON.stringify({ link, expiresAt: new Date(expiresAt * 1000).toISOString() })}\n` : `${link}\n`);
  return EXIT.ok;
}
