// `hush request` (ask for a secret), `hush request wait` / `hush request cancel` (the requester),
// and `hush respond` (the sender). The private key is made here, kept in a 0600 file and never
// sent; the response is sealed to the requester's public key after checking it against the
// fingerprint in the link.
import { HushApi } from '../client/api.js';
import { ApiError, ProtocolError } from '../client/errors.js';
import {
  answerRequest,
  cancelSecretRequest,
  checkSize,
  createSecretRequest,
  openRequestLink,
  pickupResponse,
  waitForAnswer,
} from '../client/flows.js';
import type { ReceivedSecret } from '../client/requests.js';
import { sealedSize } from '../protocol/secret.js';
import { parseRequestLink } from '../protocol/links.js';
import { MAX_NOTE_LENGTH, PUBLIC_KEY_BYTES, exportRequesterKeys, importRequesterKeys } from '../protocol/request.js';
import { formatDuration, parseDuration } from '../shared/duration.js';
import { parseCommand, parseTtl } from './args.js';
import { CliError, EXIT, usageError } from './errors.js';
import { formatTime } from './format.js';
import { err, out, printReceived, readSecret, warn, type Env } from './io.js';
import { apiTokenFor } from './credentials.js';
import { ensureKeyDir, keyDir, readKeyFile, removeKeyFile, requestId, writeKeyFile } from './request-keys.js';
import { noAttachments, serverFrom } from './send.js';
import { jsonLine, oneLine } from './terminal.js';

const CREATE_OPTIONS = {
  note: { type: 'string' },
  ttl: { type: 'string' },
  server: { type: 'string' },
  'key-dir': { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const WAIT_OPTIONS = {
  every: { type: 'string' },
  timeout: { type: 'string' },
  'key-dir': { type: 'string' },
  json: { type: 'boolean' },
  raw: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const CANCEL_OPTIONS = { 'key-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** `hush request …`: create, or the `wait` and `cancel` subcommands. */
export async function request(args: string[], env: Env): Promise<number> {
  if (args[0] === 'wait') return wait(args.slice(1), env);
  if (args[0] === 'cancel') return cancel(args.slice(1), env);
  return create(args, env);
}

/** A control character other than newline and tab (C0, DEL, C1). */
function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c < 0x20 && ch !== '\n' && ch !== '\t') || (c >= 0x7f && c <= 0x9f);
}

async function create(args: string[], env: Env): Promise<number> {
  const { values } = parseCommand('request', args, CREATE_OPTIONS, 0);
  const note = values.note ?? '';
  if (Array.from(note).length > MAX_NOTE_LENGTH) throw usageError(`--note is longer than ${String(MAX_NOTE_LENGTH)} characters.`);
  if (Array.from(note).some(isControl)) throw usageError('--note may not hold control characters (newlines and tabs are fine).');
  const ttl = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  const server = serverFrom(values.server, env);
  if (values.token !== undefined) warn('warning: a token given as an argument is visible to other users (ps); prefer HUSH_API_TOKEN.');
  const apiToken = await apiTokenFor(values.token, env, server);
  const dir = keyDir(values['key-dir'], env);
  const info = await new HushApi(server).info();
  if (ttl !== undefined && (ttl < info.limits.ttlMin || ttl > info.limits.ttlMax)) {
    throw usageError(
      `--ttl ${formatDuration(ttl)} is outside what this server allows (${formatDuration(info.limits.ttlMin)} to ${formatDuration(info.limits.ttlMax)}).`,
    );
  }
  await ensureKeyDir(dir);
  const made = await createSecretRequest(
    {
      server,
      note,
      extractable: true,
      ...(ttl === undefined ? {} : { ttl }),
      ...(apiToken === undefined ? {} : { apiToken }),
    },
    info,
  );
  let path: string;
  try {
    path = await writeKeyFile(dir, {
      version: 1,
      id: made.id,
      server: made.server,
      link: made.link,
      token: made.token,
      expiresAt: made.expiresAt,
      privateKey: await exportRequesterKeys(made.keys),
    });
  } catch (e) {
    // Without its private key nobody could ever open an answer: take the request back.
    await cancelSecretRequest(made).catch(() => undefined);
    throw e;
  }
  const waitCommand = `hush request wait ${made.id}${values['key-dir'] === undefined ? '' : ` --key-dir ${JSON.stringify(dir)}`}`;
  // The link carries the server's public URL and id (checked as a file name above): whatever they
  // hold, it is printed on one line (out() keeps their controls from the terminal; jsonLine keeps
  // --json exact).
  if (values.json === true) {
    await out(jsonLine({ link: made.link, id: made.id, expiresAt: made.expiresAt, keyFile: path }));
  } else {
    await out(`${oneLine(made.link)}\n`);
    await err(
      `Send this link to the person who has the secret; it expires ${formatTime(Date.parse(made.expiresAt))}.\n` +
        (note === '' ? '' : 'The note is not encrypted: the server can read it.\n') +
        `The private key is in ${path}. Wait for the answer with:\n  ${waitCommand}\n`,
    );
  }
  return EXIT.ok;
}

function durationMs(raw: string | undefined, option: string, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback;
  const seconds = parseDuration(raw);
  if (seconds === null || seconds < 1) throw usageError(`--${option} takes a duration of at least 1s, e.g. 5s, 10m or 1h.`);
  return seconds * 1000;
}

async function wait(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand('request wait', args, WAIT_OPTIONS, 1);
  const everyMs = durationMs(values.every, 'every', 3000)!;
  const timeoutMs = durationMs(values.timeout, 'timeout', undefined);
  const id = requestId(positionals[0], 'wait');
  const dir = keyDir(values['key-dir'], env);
  const file = await readKeyFile(dir, id);
  let keys;
  try {
    keys = await importRequesterKeys(file.privateKey);
  } catch {
    throw new CliError(EXIT.failure, `the private key in the key file of request ${id} is damaged.`);
  }
  const handle = { server: file.server, id, token: file.token };
  const gone = async (e: unknown): Promise<never> => {
    if (e instanceof ApiError && e.code === 'not_found') {
      await removeKeyFile(dir, id);
      throw new CliError(EXIT.notAvailable, 'This request no longer exists: it expired, was cancelled, or was already picked up. Its key file was removed.');
    }
    throw e;
  };
  let answered: boolean;
  try {
    answered = await waitForAnswer(handle, { everyMs, ...(timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs }) });
  } catch (e) {
    return gone(e);
  }
  if (!answered) {
    throw new CliError(EXIT.notAvailable, `no answer within ${formatDuration((timeoutMs ?? 0) / 1000)}; the request stays open (hush request wait ${id} again).`);
  }
  let received: ReceivedSecret;
  try {
    received = await pickupResponse({ ...handle, keys });
  } catch (e) {
    if (e instanceof ProtocolError) {
      // The server has erased the request with the pickup: the key has nothing left to open.
      await removeKeyFile(dir, id);
      if (e.code === 'decryption_failed') {
        throw new CliError(EXIT.notAvailable, 'Could not decrypt the answer: it was not made for this request\'s key, or it was altered on the way.');
      }
    }
    return gone(e);
  }
  try {
    if (values.json === true) {
      const expiresAt = received.sealedExpiresAt === undefined ? null : new Date(received.sealedExpiresAt * 1000).toISOString();
      await out(jsonLine({ message: received.message, expiresAt }));
    } else {
      await printReceived(received.message, values.raw === true);
    }
  } finally {
    await removeKeyFile(dir, id);
  }
  return EXIT.ok;
}

async function cancel(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommand('request cancel', args, CANCEL_OPTIONS, 1);
  const id = requestId(positionals[0], 'cancel');
  const dir = keyDir(values['key-dir'], env);
  const file = await readKeyFile(dir, id);
  try {
    await cancelSecretRequest({ server: file.server, id, token: file.token });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'not_found') {
      await removeKeyFile(dir, id);
      throw new CliError(EXIT.notAvailable, 'This request no longer exists: it expired, was cancelled, or was already picked up. Its key file was removed.');
    }
    throw e;
  }
  await removeKeyFile(dir, id);
  await out('cancelled: the request is erased, its link no longer takes an answer, and its key file is removed\n');
  return EXIT.ok;
}

const RESPOND_OPTIONS = {
  file: { type: 'string' },
  'message-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function respond(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('respond', args, RESPOND_OPTIONS, 2);
  noAttachments(values.file, 'an answer to a request');
  const link = positionals[0];
  if (link === undefined) throw usageError('give the request link (…/r/…#…) as the first argument; the secret comes from stdin, --message-file or a second argument.');
  parseRequestLink(link); // a malformed link is a usage error before anything is fetched
  const request = await openRequestLink(link);
  if (request.state === 'answered') throw new CliError(EXIT.notAvailable, 'This request was already answered; it takes one answer only.');
  // The note comes through the server (the fingerprint proves only that the requester wrote it):
  // err() shows its control and bidi characters, not obeyed; its lines stay lines.
  if (request.note !== '') await err(`hush: note from the requester (not encrypted; the server can read it):\n${request.note}\n`);
  const message = await readSecret({ file: values['message-file'], argument: positionals[1] });
  const { limits } = await new HushApi(request.server).info();
  // Stored as the sender's ephemeral public key followed by the container.
  checkSize(PUBLIC_KEY_BYTES + sealedSize({ message, expiresAt: Math.floor(Date.parse(request.expiresAt) / 1000) }), limits.maxSize);
  await answerRequest(request, message);
  await out('sent: encrypted to the requester\'s key; only they can open it\n');
  return EXIT.ok;
}
