// `hush verify ORIGIN`: fetches a live instance's pages and assets and compares their SHA-256
// with the manifest the build wrote for the installed release (dist/web/manifest.json). The HTML
// carries the Subresource Integrity of every script and stylesheet, so a page whose hash matches
// also pins what it loads; the worker, which cannot carry SRI, is compared like every other file.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWebRoot } from '../package.js';
import { parseCommand, parseServer } from './args.js';
import { CliError, EXIT, usageError } from './errors.js';
import { err, out, readResponseBounded } from './io.js';
import { jsonLine, oneLine } from './terminal.js';

/** What scripts/build.mjs writes. */
export interface Manifest {
  version: string;
  algorithm: 'sha256';
  /** Page URL (with `{id}` for the secret id) → the HTML file it serves. */
  pages: Record<string, string>;
  /** The HTML served, with status 404, at any address nothing else answers. */
  notFound: string;
  /** Path under dist/web → SHA-256, hex. */
  files: Record<string, string>;
}

export type FileStatus = 'ok' | 'differs' | 'missing' | 'error';

export interface FileResult {
  /** The file of the manifest (`/reveal.html`, `/assets/page-reveal.js`). */
  file: string;
  /** The address fetched, relative to the origin (`/s/{id}` for a page). */
  url: string;
  status: FileStatus;
  expected: string;
  /** SHA-256 of the body received; null when nothing usable came. */
  actual: string | null;
  httpStatus: number | null;
  /** Why a file is `error` or `differs` for another reason than its bytes. */
  note?: string;
}

const TIMEOUT_MS = 20_000;
/** No file of Hush comes near this; a larger body is not ours. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const CONCURRENCY = 4;

const HEX64 = /^[0-9a-f]{64}$/;
const isRecordOf = (v: unknown, check: (x: unknown) => boolean): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(check);

/** The manifest of the installed release; `root` is dist/web unless a test says otherwise. */
export function loadManifest(root: string = defaultWebRoot()): Manifest {
  const path = join(root, 'manifest.json');
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(EXIT.failure, `this installation has no manifest (${path}); run "npm run build" to make one.`);
  }
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    m = null;
  }
  const v = m as Partial<Manifest> | null;
  if (
    v === null ||
    typeof v.version !== 'string' ||
    v.algorithm !== 'sha256' ||
    typeof v.notFound !== 'string' ||
    !isRecordOf(v.pages, (x) => typeof x === 'string') ||
    !isRecordOf(v.files, (x) => typeof x === 'string' && HEX64.test(x))
  ) {
    throw new CliError(EXIT.failure, `the installed manifest (${path}) is damaged; reinstall hush or run "npm run build".`);
  }
  return v as Manifest;
}

interface Fetched {
  status: number;
  body: Buffer;
  location: string | null;
}

/** One GET, no redirects followed, no cookies, a bounded body. Throws on a network failure. */
async function get(url: string): Promise<Fetched> {
  const res = await fetch(url, { redirect: 'manual', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await readResponseBounded(res, MAX_BODY_BYTES, () => new Error(`the answer is larger than ${String(MAX_BODY_BYTES)} bytes`));
  return { status: res.status, body, location: res.headers.get('location') };
}

const reason = (e: unknown): string => {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${String(TIMEOUT_MS / 1000)} s`;
  return e instanceof Error ? e.message : String(e);
};

/** The version the instance reports at /api/v1/info. Exit 3 when it cannot be asked. */
async function serverVersion(origin: string): Promise<string> {
  let res: Fetched;
  try {
    res = await get(`${origin}/api/v1/info`);
  } catch (e) {
    throw new CliError(EXIT.failure, `could not reach ${origin} (${reason(e)}). Check the address and your connection.`);
  }
  if (res.status >= 300 && res.status < 400) {
    throw new CliError(EXIT.failure, `${origin} redirects (HTTP ${String(res.status)} to ${res.location ?? 'nowhere'}); verify the address it redirects to.`);
  }
  let version: unknown;
  try {
    version = (JSON.parse(res.body.toString('utf8')) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (res.status !== 200 || typeof version !== 'string' || version === '') {
    throw new CliError(EXIT.failure, `${origin} does not look like a Hush server (GET /api/v1/info answered ${String(res.status)} without a version).`);
  }
  return version;
}

interface Check {
  file: string;
  /** Shown and reported. */
  url: string;
  /** Fetched. */
  path: string;
  expectedStatus: number;
}

/** What to fetch: each page at its URL (a random well-formed id), the 404 page, every other file at its path. */
export function plan(manifest: Manifest): Check[] {
  const checks: Check[] = [];
  const served = new Set<string>();
  for (const [url, file] of Object.entries(manifest.pages)) {
    const id = randomBytes(16).toString('base64url'); // 22 characters, like every secret id
    checks.push({ file, url, path: url.replaceAll('{id}', id), expectedStatus: 200 });
    served.add(file);
  }
  const probe = `/hush-verify-${randomBytes(8).toString('hex')}`;
  checks.push({ file: manifest.notFound, url: '/{unknown}', path: probe, expectedStatus: 404 });
  served.add(manifest.notFound);
  for (const file of Object.keys(manifest.files).sort()) {
    if (!served.has(file)) checks.push({ file, url: file, path: file, expectedStatus: 200 });
  }
  return checks;
}

async function check(origin: string, manifest: Manifest, c: Check): Promise<FileResult> {
  const expected = manifest.files[c.file] ?? '';
  const base = { file: c.file, url: c.url, expected };
  let res: Fetched;
  try {
    res = await get(origin + c.path);
  } catch (e) {
    return { ...base, status: 'error', actual: null, httpStatus: null, note: reason(e) };
  }
  const actual = createHash('sha256').update(res.body).digest('hex');
  if (res.status !== c.expectedStatus) {
    if (res.status === 404) return { ...base, status: 'missing', actual: null, httpStatus: 404 };
    return { ...base, status: 'differs', actual, httpStatus: res.status, note: `HTTP ${String(res.status)}, expected ${String(c.expectedStatus)}` };
  }
  return { ...base, status: actual === expected ? 'ok' : 'differs', actual, httpStatus: res.status };
}

/** Runs the checks a few at a time; results in the order of the plan. */
export async function verifyOrigin(origin: string, manifest: Manifest): Promise<FileResult[]> {
  const checks = plan(manifest);
  const results: FileResult[] = new Array<FileResult>(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const i = next++;
      results[i] = await check(origin, manifest, checks[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, checks.length) }, worker));
  return results;
}

const LABEL: Record<FileStatus, string> = { ok: 'ok', differs: 'DIFFERS', missing: 'MISSING', error: 'ERROR' };

function line(r: FileResult): string {
  const where = r.url === r.file ? '' : ` (at ${r.url})`;
  const note = r.note === undefined ? '' : ` — ${r.note}`;
  return `${LABEL[r.status]}  ${r.file}${where}${note}\n`;
}

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('verify', args, OPTIONS, 1);
  const given = positionals[0];
  if (given === undefined) throw usageError('give the origin to verify, e.g. hush verify https://hush.example.com (see hush verify --help).');
  const origin = parseServer(given, 'the origin');
  const manifest = loadManifest();
  const version = await serverVersion(origin);
  if (version !== manifest.version) {
    // The version is the server's word: shown, not obeyed, by a terminal (and cut short).
    const shown = oneLine(version.length > 100 ? `${version.slice(0, 100)}…` : version);
    const message = `${origin} runs hush ${shown}, but the installed hush is ${manifest.version}: install hush ${shown} to verify it against its own release.`;
    if (values.json === true) await out(jsonLine({ origin, version: manifest.version, serverVersion: version, match: false, reason: 'version', files: [] }));
    await err(`hush: ${message}\n`);
    return EXIT.notAvailable;
  }
  const results = await verifyOrigin(origin, manifest);
  const count = (s: FileStatus): number => results.filter((r) => r.status === s).length;
  const summary = { ok: count('ok'), differs: count('differs'), missing: count('missing'), error: count('error') };
  const match = summary.ok === results.length;
  if (values.json === true) {
    await out(jsonLine({ origin, version: manifest.version, serverVersion: version, match, summary, files: results }));
  } else {
    await out(results.map(line).join(''));
    const bad = summary.differs + summary.missing;
    if (match) {
      await out(`all ${String(results.length)} files match hush ${manifest.version}: ${origin} serves this release's pages unchanged.\n`);
    } else if (bad > 0) {
      await out(
        `${String(bad)} of ${String(results.length)} files do not match hush ${manifest.version} (${String(summary.differs)} differ, ${String(summary.missing)} missing): ` +
          `do not trust the pages of ${origin}.\n`,
      );
    } else {
      await out(`${String(summary.error)} of ${String(results.length)} files could not be fetched; nothing differs so far, but the check is incomplete.\n`);
    }
  }
  if (summary.differs + summary.missing > 0) return EXIT.notAvailable;
  return summary.error > 0 ? EXIT.failure : EXIT.ok;
}
