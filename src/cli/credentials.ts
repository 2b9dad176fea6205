// The personal API tokens `hush login` keeps (docs/protocol.md §13): one JSON file,
// $XDG_CONFIG_HOME/hush/credentials.json (else ~/.config/hush/credentials.json), mode 0600 in a
// 0700 directory, one entry per server address (its origin, with the path Hush is mounted under).
// `hush send` and `hush request` take the entry of their server when neither --token nor
// HUSH_API_TOKEN is given; `hush logout` removes it. The file holds bearer tokens: it is written
// whole to a new 0600 file, then renamed over the old one, so it is never readable by others, even
// half-written.
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, EXIT } from './errors.js';
import { formatTime } from './format.js';
import { apiTokenFrom, warn, type Env } from './io.js';

export interface Credential {
  /** A personal API token (`hush_u1.…`). */
  token: string;
  /** ISO 8601: when the server stops taking it. */
  expiresAt: string;
  /** Who it creates as, as the provider said (for the messages only). */
  email?: string;
}

interface CredentialsFile {
  version: 1;
  servers: Record<string, Credential>;
}

/** `$XDG_CONFIG_HOME/hush/credentials.json`, else `~/.config/hush/credentials.json`. */
export function credentialsPath(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.config');
  return join(base, 'hush', 'credentials.json');
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCredential = (x: unknown): x is Credential =>
  isRecord(x) && typeof x.token === 'string' && typeof x.expiresAt === 'string' && (x.email === undefined || typeof x.email === 'string');

/** The file's entries; none when there is no file. A damaged file is an error (it is not overwritten unseen). */
async function readFileOf(path: string): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return { version: 1, servers: {} };
    throw new CliError(EXIT.failure, `cannot read the credentials file ${path} (${code}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!isRecord(parsed) || parsed.version !== 1 || !isRecord(parsed.servers) || !Object.values(parsed.servers).every(isCredential)) {
    throw new CliError(EXIT.failure, `the credentials file ${path} is damaged: remove it, then run hush login again.`);
  }
  return { version: 1, servers: { ...(parsed.servers as Record<string, Credential>) } };
}

/** Writes `file` as a new 0600 file beside `path` and renames it over `path`; no entries: removes the file. */
async function writeFileOf(path: string, file: CredentialsFile): Promise<void> {
  if (Object.keys(file.servers).length === 0) {
    await rm(path, { force: true });
    return;
  }
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (e) {
    throw new CliError(EXIT.failure, `cannot create the directory ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const temporary = `${path}.${String(process.pid)}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // whatever the umask
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw new CliError(EXIT.failure, `cannot write the credentials file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Keeps `credential` for `server`, replacing the one kept before. */
export async function saveCredential(path: string, server: string, credential: Credential): Promise<void> {
  const file = await readFileOf(path);
  file.servers[server] = credential;
  await writeFileOf(path, file);
}

/** Forgets the credential of `server`; returns it, or null when none was kept. */
export async function forgetCredential(path: string, server: string): Promise<Credential | null> {
  const file = await readFileOf(path);
  const kept = Object.hasOwn(file.servers, server) ? file.servers[server]! : null;
  if (kept === null) return null;
  await writeFileOf(path, { version: 1, servers: Object.fromEntries(Object.entries(file.servers).filter(([k]) => k !== server)) });
  return kept;
}

/** The unexpired token kept for `server`, or undefined (saying so when it has expired). */
export async function storedToken(env: Env, server: string): Promise<string | undefined> {
  const path = credentialsPath(env);
  const file = await readFileOf(path);
  const kept = Object.hasOwn(file.servers, server) ? file.servers[server]! : undefined;
  if (kept === undefined) return undefined;
  const expires = Date.parse(kept.expiresAt);
  if (!(expires > Date.now())) {
    warn(`the token hush login kept for ${server} expired on ${formatTime(expires)}: run hush login again.`);
    return undefined;
  }
  const mode = (await stat(path)).mode;
  if ((mode & 0o077) !== 0) warn(`${path} can be read by other users: chmod 600 it (it holds your API tokens).`);
  return kept.token;
}

/** The API token of a create: --token, else HUSH_API_TOKEN, else the one hush login kept for `server`. */
export async function apiTokenFor(flag: string | undefined, env: Env, server: string): Promise<string | undefined> {
  return apiTokenFrom(flag, env) ?? (await storedToken(env, server));
}
