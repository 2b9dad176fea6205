// The requester's key files: one JSON file per request, `<dir>/<id>.json`, mode 0600 in a 0700
// directory, never overwritten. It holds what `hush request wait` needs: the server, the id, the
// bearer token and the private key (JWK). It is deleted once the response is picked up, or the
// request is cancelled or gone.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isValidId } from '../protocol/links.js';
import { CliError, EXIT, usageError } from './errors.js';
import type { Env } from './io.js';

export interface KeyFile {
  version: 1;
  id: string;
  /** Where the request lives (and where to poll and pick up). */
  server: string;
  /** The link that was sent (its fragment is the key's fingerprint, not a secret). */
  link: string;
  token: string;
  expiresAt: string;
  privateKey: JsonWebKey;
}

/** `--key-dir`, else `$XDG_CONFIG_HOME/hush/requests`, else `~/.config/hush/requests`. */
export function keyDir(flag: string | undefined, env: Env): string {
  if (flag !== undefined) {
    if (flag.trim() === '') throw usageError('--key-dir needs a directory.');
    return resolve(flag);
  }
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.config');
  return join(base, 'hush', 'requests');
}

/** The request id as given on the command line; checked, since it becomes a file name. */
export function requestId(raw: string | undefined, command: string): string {
  if (raw === undefined) throw usageError(`give the request id (hush request ${command} ID; hush request printed it).`);
  if (!isValidId(raw)) throw usageError('that is not a request id (22 characters of A-Z a-z 0-9 - _).');
  return raw;
}

const fileOf = (dir: string, id: string): string => {
  // The id comes from the server: never let it name anything but a file in `dir`.
  if (!isValidId(id)) throw new CliError(EXIT.failure, 'the server answered with an invalid request id.');
  return join(dir, `${id}.json`);
};

/** Creates `dir` (0700) if needed. */
export async function ensureKeyDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CliError(EXIT.failure, `cannot create the key directory ${JSON.stringify(dir)} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Writes a new key file with mode 0600; refuses to overwrite one. Returns its path. */
export async function writeKeyFile(dir: string, key: KeyFile): Promise<string> {
  const path = fileOf(dir, key.id);
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(EXIT.failure, code === 'EEXIST' ? `a key file for this request already exists: ${path}` : `cannot write the key file ${path} (${code}).`);
  }
  try {
    await handle.writeFile(`${JSON.stringify(key, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return path;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Reads the key file of request `id`. Exit 1 when there is none. */
export async function readKeyFile(dir: string, id: string): Promise<KeyFile> {
  const path = fileOf(dir, id);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') {
      throw new CliError(EXIT.notAvailable, `no key file for request ${id} in ${dir} (picked up or cancelled already, or use --key-dir).`);
    }
    throw new CliError(EXIT.failure, `cannot read the key file ${path} (${code}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (
    !isRecord(parsed) ||
    parsed.version !== 1 ||
    parsed.id !== id ||
    typeof parsed.server !== 'string' ||
    typeof parsed.token !== 'string' ||
    typeof parsed.link !== 'string' ||
    typeof parsed.expiresAt !== 'string' ||
    !isRecord(parsed.privateKey)
  ) {
    throw new CliError(EXIT.failure, `the key file ${path} is damaged.`);
  }
  return parsed as unknown as KeyFile;
}

/** Deletes the key file of request `id` (no error when it is already gone). */
export async function removeKeyFile(dir: string, id: string): Promise<void> {
  await rm(fileOf(dir, id), { force: true });
}
