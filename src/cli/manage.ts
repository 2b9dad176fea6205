// `hush status` and `hush revoke` (from the sender's manage link), and `hush token`.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../client/errors.js';
import { revokeSecret, secretStatus } from '../client/flows.js';
import type { StatusResponse } from '../protocol/api.js';
import { parseDuration } from '../shared/duration.js';
import { parseCommand } from './args.js';
import { EXIT, usageError } from './errors.js';
import { formatStatus } from './format.js';
import { err, out, readLink } from './io.js';
import { jsonLine } from './terminal.js';

const HELP_ONLY = { help: { type: 'boolean', short: 'h' } } as const;

const STATUS_OPTIONS = { ...HELP_ONLY, json: { type: 'boolean' }, wait: { type: 'boolean' }, every: { type: 'string' } } as const;

/** Only a pending secret can still change state. */
const settled = (s: StatusResponse): boolean => s.state !== 'pending';

export async function status(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('status', args, STATUS_OPTIONS, 1);
  let everyMs = 3000;
  if (values.every !== undefined) {
    const seconds = parseDuration(values.every);
    if (seconds === null || seconds < 1) throw usageError('--every takes a duration of at least 1s, e.g. 5s or 1m.');
    everyMs = seconds * 1000;
  }
  const link = await readLink(positionals[0], 'manage link');
  let s = await secretStatus(link);
  if (values.wait === true && !settled(s)) s = await waitForChange(link, s, everyMs);
  await out(values.json === true ? jsonLine(s) : formatStatus(s));
  return EXIT.ok;
}

/** Polls until the state or the views left differ from `first`; rides out rate limits and brief outages. */
async function waitForChange(link: string, first: StatusResponse, everyMs: number): Promise<StatusResponse> {
  let failures = 0;
  for (;;) {
    let delay = everyMs;
    try {
      const s = await secretStatus(link);
      failures = 0;
      if (s.state !== first.state || s.viewsLeft !== first.viewsLeft) return s;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'rate_limited') delay = Math.max(everyMs, (e.retryAfter ?? 10) * 1000);
      else if (e instanceof ApiError && (e.code === 'network_error' || e.code === 'unavailable') && ++failures < 10) delay = everyMs;
      else throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

export async function revoke(args: string[]): Promise<number> {
  const { positionals } = parseCommand('revoke', args, HELP_ONLY, 1);
  await revokeSecret(await readLink(positionals[0], 'manage link'));
  await out('revoked: the secret is erased and its link no longer opens\n');
  return EXIT.ok;
}

/** The hash form the server's HUSH_API_TOKENS expects: sha256 of the token's UTF-8 text, hex. */
export const tokenHash = (token: string): string => `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;

export async function token(args: string[]): Promise<number> {
  parseCommand('token', args, HELP_ONLY, 0);
  // A token starting with '-' would be read as an option after --token (1 in 64 would): draw again.
  let t = randomBytes(32).toString('base64url');
  while (t.startsWith('-')) t = randomBytes(32).toString('base64url');
  await out(`${t}\n`);
  await err(
    `# Server setting (comma-separate several tokens; only this hash is stored):\nHUSH_API_TOKENS=${tokenHash(t)}\n# Client: HUSH_API_TOKEN=<the token printed on stdout>\n`,
  );
  return EXIT.ok;
}
