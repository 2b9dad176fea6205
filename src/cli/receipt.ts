// `hush receipt verify FILE`: checks a signed receipt (docs/protocol.md §10) with the server's
// public key, given with --key (offline) or fetched from --server's well-known document. A key
// inside the file is never used: whoever could change the receipt could change that key too.
import { open } from 'node:fs/promises';
import { b64uDecode } from '../protocol/b64u.js';
import {
  decodeReceiptText,
  ED25519_KEY_BYTES,
  findReceiptKey,
  parseReceiptFile,
  RECEIPT_KEYS_PATH,
  ReceiptError,
  verifyReceipt,
  type ReceiptFile,
  type ReceiptPayload,
} from '../protocol/receipt.js';
import { parseCommand, parseServer } from './args.js';
import { CliError, EXIT, usageError } from './errors.js';
import { formatTime } from './format.js';
import { err, out, readLink, readResponseBounded } from './io.js';
import { secretReceipt } from '../client/flows.js';
import { jsonLine, oneLine } from './terminal.js';

/** No receipt comes near this: 64 events of a few dozen bytes. */
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_KEYS_BYTES = 64 * 1024;
const TIMEOUT_MS = 20_000;

const VERIFY_OPTIONS = {
  key: { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `hush receipt get|verify …`. */
export async function receipt(args: string[]): Promise<number> {
  if (args[0] === 'verify') return verifyCommand(args.slice(1));
  if (args[0] === 'get') return getCommand(args.slice(1));
  if (args[0] === '-h' || args[0] === '--help') parseCommand('receipt', ['--help'], { help: { type: 'boolean', short: 'h' } }, 0);
  throw usageError('hush receipt get MANAGE-LINK, or hush receipt verify FILE [--key PUBLIC-KEY | --server ORIGIN] (see hush receipt --help).');
}

const GET_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `hush receipt get MANAGE-LINK`: the server's signed receipt of the secret's history, as one JSON
 * line on stdout (`> receipt.json`), the file `hush receipt verify` checks. The receipt is not
 * checked here: it is only as good as the key it is later checked with.
 */
async function getCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommand('receipt get', args, GET_OPTIONS, 1);
  const file = await secretReceipt(await readLink(positionals[0], 'manage link'));
  await out(jsonLine(parseReceiptFile(file)));
  return EXIT.ok;
}

async function readBounded(stream: AsyncIterable<Buffer | string>, max: number, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += buf.length;
    if (size > max) throw new CliError(EXIT.notAvailable, `${what} is larger than ${String(max)} bytes: not a Hush receipt.`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The file's bytes (`-` = stdin). */
async function readFileArg(path: string): Promise<Uint8Array> {
  if (path === '-') return readBounded(process.stdin, MAX_FILE_BYTES, 'stdin');
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw usageError(`cannot read the receipt from ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    return await readBounded(handle.createReadStream(), MAX_FILE_BYTES, 'the file');
  } finally {
    await handle.close();
  }
}

/** The file, parsed: a receipt that cannot be read is a receipt that does not verify (exit 1). */
function parseFile(bytes: Uint8Array): ReceiptFile {
  const text = decodeReceiptText(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ReceiptError('malformed_receipt', 'the file is not JSON');
  }
  return parseReceiptFile(value);
}

function keyArg(raw: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = b64uDecode(raw.trim());
  } catch {
    key = new Uint8Array(0);
  }
  if (key.length !== ED25519_KEY_BYTES) {
    throw usageError(`--key takes the server's public key: the base64url of 32 bytes, as "publicKey" in its ${RECEIPT_KEYS_PATH}.`);
  }
  return key;
}

const reason = (e: unknown): string => {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${String(TIMEOUT_MS / 1000)} s`;
  return e instanceof Error ? e.message : String(e);
};

/** The server's well-known key document. Exit 3 when it cannot be had. */
async function fetchKeys(origin: string): Promise<unknown> {
  const url = origin + RECEIPT_KEYS_PATH;
  let res: Response;
  let body: Uint8Array;
  try {
    // No redirect is followed: a key from another address than the one named is not that server's.
    res = await fetch(url, { redirect: 'error', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
    body = await readResponseBounded(res, MAX_KEYS_BYTES, () => new CliError(EXIT.failure, `${url}'s answer is larger than ${String(MAX_KEYS_BYTES)} bytes.`));
  } catch (e) {
    if (e instanceof CliError) throw new CliError(EXIT.failure, e.message);
    throw new CliError(EXIT.failure, `could not fetch ${url} (${reason(e)}).`);
  }
  if (res.status !== 200) throw new CliError(EXIT.failure, `${url} answered HTTP ${String(res.status)}: that server publishes no receipt keys.`);
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new CliError(EXIT.failure, `${url} is not JSON: that server publishes no receipt keys.`);
  }
}

function summary(p: ReceiptPayload, signedBy: string): string {
  const t = (iso: string): string => formatTime(Date.parse(iso));
  const width = Math.max(0, ...p.events.map((e) => oneLine(e.type).length));
  const lines = [
    `valid receipt, signed by ${p.kid} (${signedBy})`,
    `issuer:   ${p.issuer === null ? '(not named)' : oneLine(p.issuer)}`,
    `issued:   ${t(p.issuedAt)}`,
    `state:    ${oneLine(p.secret.state)}`,
    `created:  ${t(p.secret.createdAt)}`,
    `expires:  ${t(p.secret.expiresAt)}`,
  ];
  if (p.secret.endedAt !== null) lines.push(`ended:    ${t(p.secret.endedAt)}`);
  lines.push(`secret:   id hash ${p.secret.idHash}`, `          ciphertext hash ${p.secret.ciphertextHash}`, `events:   ${String(p.events.length)}`);
  for (const e of p.events) lines.push(`  ${t(e.at)}  ${oneLine(e.type).padEnd(width)}  ${e.client === null ? '(server)' : oneLine(e.client)}`);
  if (p.secret.dropped > 0) lines.push(`  … and ${String(p.secret.dropped)} more the server did not keep`);
  lines.push('');
  return lines.join('\n');
}

async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('receipt verify', args, VERIFY_OPTIONS, 1);
  const path = positionals[0];
  if (path === undefined) throw usageError('give the receipt file: hush receipt verify FILE --key PUBLIC-KEY (or --server ORIGIN; - reads stdin).');
  if (values.key !== undefined && values.server !== undefined) throw usageError('give --key or --server, not both.');
  const key = values.key === undefined ? undefined : keyArg(values.key);
  const origin = values.server === undefined ? undefined : parseServer(values.server, '--server');
  try {
    const file = parseFile(await readFileArg(path));
    let publicKey: Uint8Array;
    let signedBy: string;
    if (key !== undefined) {
      publicKey = key;
      signedBy = 'the key given with --key';
    } else if (origin !== undefined) {
      const found = await findReceiptKey(await fetchKeys(origin), file.kid);
      publicKey = found.publicKey;
      signedBy =
        found.status === 'current'
          ? `the current key of ${origin}`
          : `a retired key of ${origin}: it signed receipts before the server's key was rotated, and still verifies them`;
    } else {
      throw usageError(noKeyMessage(file));
    }
    const payload = await verifyReceipt(file, publicKey);
    if (origin !== undefined && payload.issuer !== null && payload.issuer.replace(/\/+$/, '') !== origin) {
      await err(`hush: note: the receipt names ${oneLine(payload.issuer)} as its issuer; its key came from ${origin}.\n`);
    }
    await out(values.json === true ? jsonLine(payload) : summary(payload, signedBy));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ReceiptError) throw new CliError(EXIT.notAvailable, `receipt NOT valid: ${e.message}.`);
    throw e;
  }
}

/** Without a key: say where one comes from, naming the issuer the (not yet verified) receipt claims. */
function noKeyMessage(file: ReceiptFile): string {
  let issuer: string | null = null;
  try {
    const claimed = (JSON.parse(file.receipt) as { issuer?: unknown }).issuer;
    if (typeof claimed === 'string') issuer = parseServer(claimed, 'the issuer');
  } catch {
    issuer = null;
  }
  const hint = issuer === null ? '' : ` This receipt says it was issued by ${issuer}: hush receipt verify FILE --server ${issuer}.`;
  return `give the server's public key with --key, or --server ORIGIN to fetch its keys; a key inside the file is not trusted.${hint}`;
}
