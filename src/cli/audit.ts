// `hush audit export ADMIN-URL` and `hush audit verify FILE`: the operators' audit trail
// (docs/protocol.md §11). export pages through the admin listener's /audit and writes JSON Lines;
// verify checks that every line is intact and chained, so a removed or changed line is found.
import { readFile } from 'node:fs/promises';
import { verifyAuditLines } from '../protocol/audit.js';
import { parseCommand, parseServer } from './args.js';
import { CliError, EXIT, usageError } from './errors.js';
import { out, readResponseBounded } from './io.js';

/** What /audit gives per page (its own limit is 100 000), and the most one page may weigh. */
const PAGE = 10_000;
const MAX_PAGE_BYTES = 16 * 1024 * 1024;
/** An export's lines are about 230 bytes: half a gigabyte is two million entries. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const TIMEOUT_MS = 60_000;
const HEX64 = /^[0-9a-f]{64}$/;

const EXPORT_OPTIONS = { since: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
const VERIFY_OPTIONS = { prev: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** `hush audit export|verify …`. */
export async function audit(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportCommand(args.slice(1));
  if (args[0] === 'verify') return verifyCommand(args.slice(1));
  if (args[0] === '-h' || args[0] === '--help') parseCommand('audit', ['--help'], { help: { type: 'boolean', short: 'h' } }, 0);
  throw usageError('hush audit export ADMIN-URL > audit.jsonl, or hush audit verify FILE [--prev HASH] (see hush audit --help).');
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('audit export', args, EXPORT_OPTIONS, 1);
  if (positionals[0] === undefined) throw usageError('give the admin listener\'s address: hush audit export http://127.0.0.1:9090 > audit.jsonl');
  const base = parseServer(positionals[0], 'ADMIN-URL');
  let since = 0;
  if (values.since !== undefined) {
    if (!/^\d{1,15}$/.test(values.since)) throw usageError('--since takes a seq: a whole number (the last seq of the previous export).');
    since = Number(values.since);
  }
  for (;;) {
    const url = `${base}/audit?since=${String(since)}&limit=${String(PAGE)}`;
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(url, { redirect: 'error', cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
      body = await readResponseBounded(res, MAX_PAGE_BYTES, () => new CliError(EXIT.failure, `${url}'s answer is larger than ${String(MAX_PAGE_BYTES)} bytes.`));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(EXIT.failure, `could not fetch ${url} (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}).`);
    }
    if (res.status !== 200) throw new CliError(EXIT.failure, `${url} answered HTTP ${String(res.status)}: is that Hush's admin listener (HUSH_ADMIN_PORT)?`);
    const text = body.toString('utf8');
    if (text === '') return EXIT.ok;
    const lines = text.replace(/\n$/, '').split('\n');
    const last = (JSON.parse(lines.at(-1)!) as { seq?: unknown }).seq;
    if (typeof last !== 'number' || last <= since) throw new CliError(EXIT.failure, `${url} did not answer audit entries after seq ${String(since)}.`);
    await out(`${lines.join('\n')}\n`);
    if (lines.length < PAGE) return EXIT.ok;
    since = last;
  }
}

async function readInput(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw usageError(`cannot read the audit export from ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_FILE_BYTES) throw usageError(`stdin holds more than ${String(MAX_FILE_BYTES)} bytes: verify the export in parts (--prev).`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('audit verify', args, VERIFY_OPTIONS, 1);
  const path = positionals[0];
  if (path === undefined) throw usageError('give the export: hush audit verify audit.jsonl (- reads stdin).');
  const prev = values.prev?.trim().toLowerCase();
  if (prev !== undefined && !HEX64.test(prev)) throw usageError('--prev takes the head of the previous export: 64 hex digits, as hush audit verify printed it.');
  const verdict = await verifyAuditLines(await readInput(path), prev === undefined ? {} : { prev });
  if (!verdict.ok) throw new CliError(EXIT.notAvailable, `audit trail NOT intact: ${verdict.message}.`);
  if (verdict.entries === 0) {
    await out('no entries: nothing to check\n');
    return EXIT.ok;
  }
  const from = prev !== undefined ? 'continuing the head given with --prev' : verdict.first === 1 ? 'from the start of the trail' : `from seq ${String(verdict.first)} (older entries were pruned; --prev checks the join with an earlier export)`;
  await out(
    [
      `audit trail intact: ${String(verdict.entries)} entries, seq ${String(verdict.first)}–${String(verdict.last)}, ${from}`,
      `head: ${verdict.head}`,
      `keep the head: the next export (hush audit export --since ${String(verdict.last)}) verifies with --prev ${verdict.head.slice(0, 12)}…`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
