// Files on disk: attachments read for `hush send --file`, and received files written by
// `hush open` (to --out, else to a new private directory). Received names are the sender's and treated as hostile (safeFileName); a
// file is created exclusively with mode 0600 and nothing existing is overwritten without --force.
import { constants } from 'node:fs';
import { access, mkdtemp, open, readFile, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { MAX_FILES, type EnvelopeFile } from '../protocol/envelope.js';
import { formatBytes, numberedName, safeFileName } from '../shared/filenames.js';
import { CliError, usageError } from './errors.js';
import { warn } from './io.js';

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'error';

/**
 * Reads the files to attach. Sizes are checked first (`limit` bytes in all, with the message), so
 * an oversized file is refused before it is read.
 */
export async function readAttachments(paths: readonly string[], messageBytes: number, limit: number): Promise<EnvelopeFile[]> {
  let total = messageBytes;
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      throw usageError(`cannot read the file ${JSON.stringify(path)} (${errno(e)}).`);
    }
    if (!info.isFile()) throw usageError(`${JSON.stringify(path)} is not a file.`);
    total += info.size;
    if (total > limit) {
      throw usageError(
        `the files are too large for this server: ${formatBytes(total)} with the message, its limit is ${formatBytes(limit)} (${String(limit)} bytes) in all.`,
      );
    }
  }
  const files: EnvelopeFile[] = [];
  for (const path of paths) {
    try {
      files.push({ name: safeFileName(basename(path)), type: '', content: new Uint8Array(await readFile(path)) });
    } catch (e) {
      throw usageError(`cannot read the file ${JSON.stringify(path)} (${errno(e)}).`);
    }
  }
  return files;
}

/** Refuses more files than one secret may carry (docs/protocol.md §4), before any is read or anything sent. */
export function checkFileCount(n: number): void {
  if (n > MAX_FILES) {
    throw usageError(`a secret carries at most ${String(MAX_FILES)} files; ${String(n)} were given. Put them in one archive (tar, zip) and attach that.`);
  }
}

/** Checks, before anything is consumed, that received files could be written to `dir`. */
export async function checkOutDir(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw usageError(`--out ${JSON.stringify(dir)} is not a directory.`);
    await access(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usageError(`cannot write files to ${JSON.stringify(dir)} (${errno(e)}).`);
  }
}

export interface WrittenFile {
  name: string;
  path: string;
  size: number;
}

async function writeOne(dir: string, file: EnvelopeFile, force: boolean): Promise<WrittenFile> {
  const name = safeFileName(file.name);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : numberedName(name, n);
    const path = join(dir, candidate);
    if (force && n === 0) {
      // Replace what is there, without following a symlink planted at that name.
      await unlink(path).catch((e: unknown) => {
        if (errno(e) !== 'ENOENT') throw e;
      });
    }
    let handle;
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (e) {
      if (errno(e) === 'EEXIST' && n < 1000) continue;
      throw e;
    }
    try {
      await handle.writeFile(file.content);
    } finally {
      await handle.close();
    }
    if (candidate !== name) warn(`${name} already exists in ${dir}; saved as ${candidate} (use --force to overwrite).`);
    return { name: candidate, path, size: file.content.length };
  }
}

/**
 * A new private directory (mode 0700) for received files, `hush-files-XXXXXX` in `base` (the
 * working directory), named on stderr; under the system's temporary directory when `base` takes no
 * new directory (read-only, gone), since the secret is already used up and nothing may be lost.
 */
export async function newFilesDir(base: string): Promise<string> {
  let dir: string;
  try {
    dir = await mkdtemp(join(base, 'hush-files-'));
  } catch (e) {
    dir = await mkdtemp(join(tmpdir(), 'hush-files-'));
    warn(`cannot create a directory in ${base} (${errno(e)}); the files go to ${dir} instead.`);
    return dir;
  }
  warn(`the files go to a new directory only you can open: .${sep}${relative(base, dir)}`);
  return dir;
}

/**
 * Writes the received files to `dir`. When that fails after the secret was consumed, the files
 * go to a new private directory under the system's temporary directory instead: the secret can
 * not be fetched again, so nothing may be lost.
 */
export async function writeReceived(files: readonly EnvelopeFile[], dir: string, force: boolean): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  let target = dir;
  for (const file of files) {
    try {
      written.push(await writeOne(target, file, force));
    } catch (e) {
      if (target !== dir) throw e;
      target = await mkdtemp(join(tmpdir(), 'hush-'));
      warn(`cannot write to ${dir} (${errno(e)}); the files go to ${target} instead.`);
      written.push(await writeOne(target, file, force));
    }
  }
  return written;
}
