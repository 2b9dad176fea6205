// Input and output of the commands: the secret from stdin, a file or an argument, exactly as
// given; passphrases; and writes that finish before the process exits.
import { open } from 'node:fs/promises';
import { CliError, usageError } from './errors.js';
import { controlCharacters, visible } from './terminal.js';

/** Largest input read: the most any server may accept (HUSH_MAX_SIZE ≤ 64 MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Environment of the client commands (tests pass their own). */
export type Env = Record<string, string | undefined>;

const fromEnv = (env: Env, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
};

/** Strict UTF-8, byte for byte: no BOM stripped, nothing replaced. */
function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw usageError(`${what} is not UTF-8 text. To send binary data, attach it as a file (hush send --file PATH).`);
  }
}

async function readStream(stream: AsyncIterable<Buffer | string>, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw usageError(`${what} is larger than ${String(MAX_INPUT_BYTES)} bytes, more than any Hush server accepts.`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function readFileBytes(path: string, what: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw usageError(`cannot read ${what} from ${JSON.stringify(path)} (${code}).`);
  }
  try {
    return await readStream(handle.createReadStream(), what);
  } finally {
    await handle.close();
  }
}

export interface SecretSource {
  /** `--message-file PATH` (`-` = stdin). */
  file: string | undefined;
  argument: string | undefined;
  /** Files are attached: the text may be empty, and a terminal on stdin means "no text". */
  optional?: boolean;
}

/**
 * The secret, exactly as given: `--message-file PATH` (`-` = stdin), else the argument (with a
 * warning), else stdin when it is not a terminal. Nothing is trimmed: `open` prints back exactly
 * these bytes.
 */
export async function readSecret(source: SecretSource, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (source.file !== undefined && source.argument !== undefined) throw usageError('give the secret once: as an argument or with --message-file, not both.');
  let message: string;
  if (source.file !== undefined && source.file !== '-') {
    message = decodeText(await readFileBytes(source.file, 'the secret'), 'the secret');
  } else if (source.argument !== undefined) {
    warn('warning: a secret given as an argument is visible in shell history and to other users (ps); prefer stdin or --message-file.');
    message = source.argument;
  } else if (source.file === '-' || !stdin.isTTY) {
    message = decodeText(await readStream(stdin, 'the secret'), 'the secret');
  } else if (source.optional === true) {
    message = '';
  } else {
    throw usageError('no secret given: pipe it in (echo … | hush send), use --message-file PATH, or give it as an argument.');
  }
  if (message === '' && source.optional !== true) throw usageError('the secret is empty.');
  return message;
}

/**
 * A link from the argument (with a warning: its #fragment is the key, or the manage token), else
 * the first line of stdin, which keeps it out of `ps` and shell history.
 */
export async function readLink(argument: string | undefined, what: string, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (argument !== undefined) {
    warn(`warning: a ${what} given as an argument is visible in shell history and to other users (ps); prefer stdin.`);
    return argument;
  }
  if (stdin.isTTY) throw usageError(`give the ${what} as an argument, or pipe it in.`);
  const text = decodeText(await readStream(stdin, `the ${what}`), `the ${what}`).trim();
  if (text === '') throw usageError(`no ${what} given.`);
  return text;
}

/**
 * The passphrase: `--passphrase-file PATH` (one trailing newline removed), else HUSH_PASSPHRASE,
 * else undefined.
 */
export async function readPassphrase(file: string | undefined, env: Env): Promise<string | undefined> {
  let passphrase: string | undefined;
  if (file !== undefined) {
    passphrase = decodeText(await readFileBytes(file, 'the passphrase'), 'the passphrase').replace(/\r?\n$/, '');
    if (passphrase === '') throw usageError('the passphrase file is empty.');
  } else {
    passphrase = fromEnv(env, 'HUSH_PASSPHRASE');
  }
  return passphrase;
}

export const apiTokenFrom = (flag: string | undefined, env: Env): string | undefined => flag ?? fromEnv(env, 'HUSH_API_TOKEN');

/** Whether a passphrase can be asked for on the terminal. */
export const canPrompt = (): boolean => process.stdin.isTTY && process.stderr.isTTY;

/** Asks on the terminal without echo. Ctrl-C or Ctrl-D cancels (exit 130). */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      // Bracketed paste markers are not part of what was pasted.
      for (const ch of chunk.replaceAll('\u001b[200~', '').replaceAll('\u001b[201~', '')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          finish(new CliError(130, 'cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    // A closed pipe (hush open … | head -c1) is not an error of ours.
    stream.write(text, () => resolve());
  });
}

/**
 * What the commands print, into a terminal or a pipe alike, with every control and bidi character
 * but newline and tab written out visibly (terminal.ts): a server's words (a link, a version, a
 * note, an error message) reach the output here, and here they are kept from driving a terminal,
 * whichever command prints them. Our own text and jsonLine's output hold no such character, so
 * they go out unchanged. The one exception, the received text, goes through printReceived.
 */
const safe = (text: string): string => visible(text).text;

/** Writes to stdout and resolves once it is handed to the OS. */
export const out = (text: string): Promise<void> => write(process.stdout, safe(text));
export const err = (text: string): Promise<void> => write(process.stderr, safe(text));

/** A `hush: ` line on stderr, for notes and warnings that do not stop the command. */
export function warn(message: string): void {
  process.stderr.write(`hush: ${safe(message)}\n`);
}

/**
 * Prints received text (an opened secret, a picked-up answer). Into a pipe or a file it goes byte
 * for byte; on a terminal, unless `raw`, control characters are shown visibly and one line on
 * stderr says so. On a terminal the line is also ended on stderr when the text does not end it,
 * so the prompt is not glued on; stdout stays exact.
 */
export async function printReceived(text: string, raw: boolean): Promise<void> {
  const tty = process.stdout.isTTY;
  const shown = tty && !raw ? visible(text) : { text, count: 0 };
  await write(process.stdout, shown.text); // exact: already shown visibly on a terminal, unless --raw
  if (tty && process.stderr.isTTY && !shown.text.endsWith('\n')) await err('\n');
  if (shown.count > 0) await err(`hush: the text contained ${controlCharacters(shown.count)}, shown visibly (e.g. ESC as \\x1b); use --raw for the exact bytes.\n`);
}

/**
 * A fetched body, read no further than `max` bytes: past that the download is cancelled and
 * `tooLarge()` is thrown (a server must not make the CLI hold an unbounded answer).
 */
export async function readResponseBounded(res: Response, max: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) break;
    size += chunk.value.length;
    if (size > max) {
      await reader?.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}
