// Argument parsing with node:util parseArgs (strict). Its errors become usage errors (exit 2)
// whose text names the option only, never a value: a misplaced secret must not be echoed.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '../shared/duration.js';
import { isValidId } from '../protocol/links.js';
import { usageError } from './errors.js';
import { COMMAND_USAGE } from './help.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

/** A secret's or request's id as base64url (ID_BYTES = 16 bytes, 22 characters) starting with "-". */
const isIdShaped = (a: string): boolean => a.startsWith('-') && isValidId(a);

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * What to say about an unknown word: only a near miss of a known one is echoed (`--tll`, did you
 * mean `--ttl`?); anything else might be a secret typed in the wrong place and is not repeated.
 */
export function unknownWord(kind: 'option' | 'command', given: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(given, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? `unknown ${kind}` : `unknown ${kind} ${given}, did you mean ${best}?`;
}

function parseArgsError(e: unknown, command: string, options: Options): Error {
  const { code, message } = e as { code?: string; message?: string };
  const see = `see hush ${command} --help`;
  const text = message ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /^Unknown option '([^']*)'/.exec(text)?.[1] ?? '';
    const known = Object.keys(options).map((o) => `--${o}`);
    return usageError(`${unknownWord('option', given, known)} (${see}; put a value starting with - after --).`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // Node names the option (from our own list), never the value.
    const name = Object.keys(options).find((o) => text.includes(`--${o}'`) || text.includes(`--${o} `));
    const shown = name === undefined ? 'an option' : `--${name}`;
    if (text.includes('does not take an argument')) return usageError(`${shown} takes no value (${see}).`);
    return usageError(`${shown} needs a value (${see}).`);
  }
  return usageError(`invalid arguments (${see}).`);
}

/** A command's `--help`: main() prints `usage` on stdout and exits 0, so no command repeats it. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly usage: string) {
    super('help requested');
  }
}

/**
 * Parses a command's arguments strictly. With `--help` it throws HelpRequested carrying the
 * command's usage (from help.ts, or `usage` when given).
 */
export function parseCommand<const O extends Options>(
  command: string,
  args: string[],
  options: O,
  maxPositionals: number,
  usage: string | undefined = COMMAND_USAGE[command.split(' ')[0]!],
): Parsed<O> {
  // Ids are base64url, so one in 64 begins with "-" (`hush request wait -Xb…`): an argument of
  // exactly an id's shape that names no option of the command is an id, not an option. It is
  // parsed as a placeholder and put back.
  const held: string[] = [];
  const hold = (a: string): string => (isIdShaped(a) && !Object.hasOwn(options, a.slice(2)) ? `\u0000${String(held.push(a) - 1)}` : a);
  const restore = (a: string): string => (a.startsWith('\u0000') ? (held[Number(a.slice(1))] ?? a) : a);
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: args.map(hold), options, strict: true, allowPositionals: true });
  } catch (e) {
    throw parseArgsError(e, command, options);
  }
  if (held.length > 0) {
    parsed.positionals = parsed.positionals.map(restore);
    const values = parsed.values as Record<string, unknown>;
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'string') values[k] = restore(v);
      else if (Array.isArray(v)) values[k] = v.map((x: unknown) => (typeof x === 'string' ? restore(x) : x));
    }
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(
      maxPositionals === 0
        ? `hush ${command} takes no arguments (see hush ${command} --help).`
        : `too many arguments for hush ${command}; quote a value that has spaces (see hush ${command} --help).`,
    );
  }
  if ((parsed.values as Record<string, unknown>).help === true && usage !== undefined) throw new HelpRequested(usage);
  return parsed;
}

/** `--ttl`: seconds or a duration such as 90s, 30m, 1h, 7d, 1h30m. */
export function parseTtl(raw: string): number {
  const n = parseDuration(raw);
  if (n === null || n < 1) throw usageError('--ttl expects a duration such as 3600, 90s, 30m, 1h or 7d.');
  return n;
}

/** `--views`: a whole number from 1. */
export function parseViews(raw: string): number {
  if (!/^[0-9]{1,6}$/.test(raw.trim()) || Number(raw) < 1) throw usageError('--views expects a whole number of at least 1.');
  return Number(raw);
}

/** `--expires-at`: an ISO-8601 date-time, as Unix seconds. */
export function parseExpiresAt(raw: string, nowMs: number): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
  if (!Number.isFinite(ms)) throw usageError('--expires-at expects an ISO-8601 date-time such as 2030-01-31T18:00:00Z.');
  if (ms <= nowMs) throw usageError('--expires-at is in the past; a link must expire in the future.');
  return Math.floor(ms / 1000);
}

/** `--server` / HUSH_SERVER: an http(s) origin with an optional path. */
export function parseServer(raw: string, source: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw usageError(`${source} is not a URL; expected e.g. https://hush.example.com.`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw usageError(`${source} must be an http(s) origin with an optional path, e.g. https://hush.example.com.`);
  }
  return (u.origin + u.pathname).replace(/\/+$/, '');
}
