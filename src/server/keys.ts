// Keys that must outlive a restart but need not be configured: when a setting such as
// HUSH_POW_KEY is not given and the store is a SQLite file, the key is made once, on first start,
// in the database's directory (the container's /data volume) and read from there afterwards. One
// instance on one volume then needs no environment at all. Several instances sharing PostgreSQL or
// Redis have no shared directory: there the key stays a setting (docs/deploy.md), and without it
// each process makes its own as before.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './config.js';
import { sessionKeyBytes } from './oidc-settings.js';

/** The shortest key accepted from a file, as for the settings themselves. */
const MIN_LENGTH = 16;

/**
 * The key kept in `dir/name.key`, made (32 random bytes, base64url, mode 0600) when the file does
 * not exist. Creation is atomic: the key is written to a file of this process's own and linked
 * into place, so two processes starting at once on one volume both end up with the one that won,
 * and neither ever reads a half-written file.
 */
export function keyFromFile(dir: string, name: string): { key: string; path: string; created: boolean } {
  const path = join(dir, `${name}.key`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fresh = randomBytes(32).toString('base64url');
  const own = `${path}.${String(process.pid)}.tmp`;
  const fd = openSync(own, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
  try {
    writeSync(fd, `${fresh}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(own, path);
    return { key: fresh, path, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(own);
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < MIN_LENGTH) {
    throw new Error(`${path} holds no usable key (fewer than ${String(MIN_LENGTH)} characters): remove it to have a new one made, or set the key in the environment`);
  }
  return { key, path, created: false };
}

/**
 * `config` with the keys it leaves empty taken from (or made in) the SQLite store's directory;
 * unchanged for other stores and for ':memory:'. `kept` names the files used, for the start-up log.
 */
export function withKeptKeys(config: Config): { config: Config; kept: string[] } {
  if (config.store.kind !== 'sqlite' || config.store.path === ':memory:') return { config, kept: [] };
  const dir = dirname(config.store.path);
  const kept: string[] = [];
  const keep = (name: string): string => {
    const k = keyFromFile(dir, name);
    kept.push(`${k.path}${k.created ? ' (made now)' : ''}`);
    return k.key;
  };
  const powKey = config.powKey !== '' ? config.powKey : keep('pow');
  // Sessions of HUSH_CREATE=oidc (src/server/session.ts): the file's key must be an AES-256 key.
  let sessionKey = config.sessionKey;
  if (config.createPolicy === 'oidc' && sessionKey === '') {
    sessionKey = keep('session');
    sessionKeyBytes(sessionKey, `${join(dir, 'session.key')} (remove it to have a new key made, or set HUSH_SESSION_KEY)`);
  }
  return kept.length === 0 ? { config, kept } : { config: Object.freeze({ ...config, powKey, sessionKey }), kept };
}
